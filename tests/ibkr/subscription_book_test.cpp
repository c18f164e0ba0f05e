// Lines, their requests and states: the line limit, what a connection sends, errors per
// request, the delayed fallback and resubscription.

#include "wire_text.hpp"

#include "codec/client_message_codec.hpp"
#include "codec/frame_decoder.hpp"
#include "config/ibkr_config.hpp"
#include "session/error_policy.hpp"
#include "session/subscription_book.hpp"

#include <catch2/catch.hpp>

using namespace mdp::ibkr;
using namespace std::chrono_literals;

namespace {

// The payloads (with '|' for NUL) of everything the outbox would send.
std::vector<std::string> sent(PacedOutbox& outbox) {
    std::string bytes;
    auto now = PacedOutbox::Clock::now();
    while (outbox.queued() > 0) {
        outbox.release(bytes, now);
        now += 1s;
    }
    FrameDecoder decoder;
    decoder.append(bytes);
    std::vector<std::string> payloads;
    while (auto frame = decoder.next_frame()) {
        std::string text(*frame);
        for (char& c : text) {
            c = c == '\0' ? '|' : c;
        }
        payloads.push_back(text);
    }
    return payloads;
}

ErrorMessage error(int request_id, int code, std::string_view text = "text") {
    ErrorMessage message;
    message.request_id = request_id;
    message.code = code;
    message.message = text;
    return message;
}

}  // namespace

TEST_CASE("a connection sends the market data type then every line", "[ibkr][book]") {
    const IbkrConfig config = parse_ibkr_config(R"({"contracts": ["AAPL", "MSFT"], "real_time_bars": true})");
    SubscriptionBook book(config);
    PacedOutbox outbox(45, PacedOutbox::Clock::now());
    book.queue_initial_requests(outbox, 176);
    const auto payloads = sent(outbox);
    REQUIRE(payloads.size() == 5);
    CHECK(payloads[0] == "59|1|1|");
    CHECK(payloads[1] == "1|11|1|0|AAPL|STK||0.0|||SMART||USD|||0|233|0|0||");
    CHECK(payloads[2] == "1|11|2|0|MSFT|STK||0.0|||SMART||USD|||0|233|0|0||");
    CHECK(payloads[3] == "50|3|1000000|0|AAPL|STK||0.0|||SMART||USD|||5|TRADES|0||");
    CHECK(payloads[4] == "50|3|1000001|0|MSFT|STK||0.0|||SMART||USD|||5|TRADES|0||");
    const BookSummary summary = book.summary();
    CHECK(summary.lines == 4);
    CHECK(summary.waiting == 4);
}

TEST_CASE("lines beyond the limit are refused and never requested", "[ibkr][book]") {
    const IbkrConfig config =
        parse_ibkr_config(R"({"contracts": ["A", "B", "C"], "real_time_bars": true, "max_market_data_lines": 4})");
    SubscriptionBook book(config);
    CHECK(book.refused_text() == "2 lines refused: beyond max_market_data_lines 4");
    PacedOutbox outbox(45, PacedOutbox::Clock::now());
    book.queue_initial_requests(outbox, 176);
    CHECK(sent(outbox).size() == 5);  // type + 3 quotes lines + 1 bars line: quotes come first
    CHECK(book.lines()[4].state == LineState::refused);
    CHECK(book.lines()[5].state == LineState::refused);
    CHECK(book.summary().refused == 2);
}

TEST_CASE("request errors mark their line and name it", "[ibkr][book]") {
    const IbkrConfig config = parse_ibkr_config(R"({"contracts": ["AAPL", "NOPE", "XYZ", "Q"]})");
    SubscriptionBook book(config);
    PacedOutbox outbox(45, PacedOutbox::Clock::now());
    book.queue_initial_requests(outbox, 176);
    (void)sent(outbox);
    book.on_data(0, LineKind::market_data);
    CHECK(book.on_request_error(error(2, 200), outbox, 176));
    CHECK(book.on_request_error(error(3, 354), outbox, 176));
    CHECK(book.on_request_error(error(4, 10167), outbox, 176));
    book.on_data(3, LineKind::market_data);
    CHECK(book.on_request_error(error(1, 300), outbox, 176));  // harmless
    CHECK_FALSE(book.on_request_error(error(77, 200), outbox, 176));  // not ours
    CHECK(outbox.queued() == 0);
    const BookSummary summary = book.summary();
    CHECK(summary.streaming == 2);
    CHECK(summary.failed == 2);
    CHECK(summary.failures ==
          "NOPE: no security definition (unknown contract) (200); XYZ: market data not subscribed (354)");
    CHECK(summary.delayed == 1);
    CHECK(summary.delayed_names == "Q");
    book.on_connection_lost();
    CHECK(book.summary().waiting == 4);
}

TEST_CASE("the delayed fallback switches to delayed data once and re-requests", "[ibkr][book]") {
    const IbkrConfig config = parse_ibkr_config(R"({"contracts": ["AAPL", "XYZ", "ABC"], "delayed_fallback": true})");
    SubscriptionBook book(config);
    PacedOutbox outbox(45, PacedOutbox::Clock::now());
    book.queue_initial_requests(outbox, 176);
    (void)sent(outbox);
    book.on_request_error(error(2, 354), outbox, 176);
    book.on_request_error(error(3, 10186), outbox, 176);
    const auto payloads = sent(outbox);
    REQUIRE(payloads.size() == 3);
    CHECK(payloads[0] == "59|1|3|");
    CHECK(payloads[1].starts_with("1|11|2|0|XYZ|"));
    CHECK(payloads[2].starts_with("1|11|3|0|ABC|"));
    CHECK(book.market_data_type() == 3);
    // Refused again on delayed data: now it stays refused.
    book.on_request_error(error(2, 10186), outbox, 176);
    CHECK(outbox.queued() == 0);
    CHECK(book.lines()[1].state == LineState::not_subscribed);
}

TEST_CASE("1101 resubscription cancels and requests every line", "[ibkr][book]") {
    const IbkrConfig config = parse_ibkr_config(R"({"contracts": ["AAPL"], "real_time_bars": true})");
    SubscriptionBook book(config);
    PacedOutbox outbox(45, PacedOutbox::Clock::now());
    book.queue_resubscription(outbox, 176);
    const auto payloads = sent(outbox);
    REQUIRE(payloads.size() == 4);
    CHECK(payloads[0] == "2|2|1|");
    CHECK(payloads[1].starts_with("1|11|1|"));
    CHECK(payloads[2] == "51|1|1000000|");
    CHECK(payloads[3].starts_with("50|3|1000000|"));
}

TEST_CASE("error codes are classified as the issue asks", "[ibkr][book]") {
    for (const int code : {2104, 2106, 2158, 2107}) {
        const auto action = classify_system_error(code);
        CHECK((action == SystemErrorAction::informational || action == SystemErrorAction::farm_connected));
    }
    CHECK(classify_system_error(1100) == SystemErrorAction::connectivity_lost);
    CHECK(classify_system_error(2110) == SystemErrorAction::connectivity_lost);
    CHECK(classify_system_error(1101) == SystemErrorAction::restored_data_lost);
    CHECK(classify_system_error(1102) == SystemErrorAction::restored_data_kept);
    CHECK(classify_system_error(326) == SystemErrorAction::client_id_in_use);
    CHECK(classify_system_error(100) == SystemErrorAction::pacing_violation);
    CHECK(classify_system_error(2103) == SystemErrorAction::farm_disconnected);
    CHECK(classify_system_error(2119) == SystemErrorAction::informational);
    CHECK(classify_system_error(504) == SystemErrorAction::error);
    CHECK(classify_request_error(200) == RequestErrorAction::failed);
    CHECK(classify_request_error(354) == RequestErrorAction::not_subscribed);
    CHECK(classify_request_error(10186) == RequestErrorAction::not_subscribed);
    CHECK(classify_request_error(10167) == RequestErrorAction::delayed_shown);
    CHECK(classify_request_error(300) == RequestErrorAction::ignore);
    CHECK(classify_request_error(100) == RequestErrorAction::session);
}

TEST_CASE("a contract list change on a streaming connection cancels the removed and requests the added only",
          "[ibkr][book][reconfigure]") {
    const IbkrConfig config = parse_ibkr_config(R"({"contracts": ["AAPL", "IBM"], "real_time_bars": true})");
    SubscriptionBook book(config);
    PacedOutbox outbox(45, PacedOutbox::Clock::now());
    book.queue_initial_requests(outbox, 176);
    (void)sent(outbox);
    CHECK(book.on_data(0, LineKind::market_data));
    CHECK_FALSE(book.on_data(0, LineKind::market_data));  // already streaming

    const ContractChange change =
        book.change_contracts(parse_ibkr_config(R"({"contracts": ["AAPL", "MSFT"]})").contracts, &outbox, 176);
    CHECK(change.cancels == 2);
    CHECK(change.requests == 2);
    const auto payloads = sent(outbox);
    REQUIRE(payloads.size() == 4);
    CHECK(payloads[0] == "2|2|2|");  // cancelMktData IBM
    CHECK(payloads[1] == "51|1|1000001|");  // cancelRealTimeBars IBM
    CHECK(payloads[2].starts_with("1|11|3|0|MSFT|"));  // a fresh slot: id 3, never IBM's 2
    CHECK(payloads[3].starts_with("50|3|1000002|0|MSFT|"));
    REQUIRE(book.lines().size() == 4);
    CHECK(book.lines()[0].request_id == 1);
    CHECK(book.lines()[0].state == LineState::streaming);  // untouched
    CHECK(book.lines()[1].request_id == 3);
    CHECK(book.lines()[1].state == LineState::requested);
    CHECK(book.lines()[2].request_id == 1000000);
    CHECK(book.lines()[3].request_id == 1000002);
    CHECK(book.slot_count() == 3);
    CHECK_FALSE(book.on_request_error(error(2, 200), outbox, 176));  // IBM's id is no longer ours
    CHECK(book.on_data(2, LineKind::market_data));
    CHECK(book.summary().streaming == 2);
}

TEST_CASE("a contract list change without a connection queues nothing and the next connection asks for it",
          "[ibkr][book][reconfigure]") {
    const IbkrConfig config = parse_ibkr_config(R"({"contracts": ["AAPL", "IBM"]})");
    SubscriptionBook book(config);
    const ContractChange change =
        book.change_contracts(parse_ibkr_config(R"({"contracts": ["MSFT", "AAPL"]})").contracts, nullptr, 0);
    CHECK(change.requests == 0);
    CHECK(change.cancels == 0);
    CHECK(change.diff.removed_slots == std::vector<std::size_t>{1});
    PacedOutbox outbox(45, PacedOutbox::Clock::now());
    book.queue_initial_requests(outbox, 176);
    const auto payloads = sent(outbox);
    REQUIRE(payloads.size() == 3);
    CHECK(payloads[1].starts_with("1|11|3|0|MSFT|"));  // in the new list's order
    CHECK(payloads[2].starts_with("1|11|1|0|AAPL|"));
}

TEST_CASE("lines freed by a removal go to refused and added lines in list order", "[ibkr][book][reconfigure]") {
    const IbkrConfig config = parse_ibkr_config(R"({"contracts": ["A", "B", "C"], "max_market_data_lines": 2})");
    SubscriptionBook book(config);
    PacedOutbox outbox(45, PacedOutbox::Clock::now());
    book.queue_initial_requests(outbox, 176);
    (void)sent(outbox);
    CHECK(book.refused_text() == "1 line refused: beyond max_market_data_lines 2");

    const ContractChange change =
        book.change_contracts(parse_ibkr_config(R"({"contracts": ["A", "C", "D"]})").contracts, &outbox, 176);
    const auto payloads = sent(outbox);
    REQUIRE(payloads.size() == 2);
    CHECK(payloads[0] == "2|2|2|");  // B cancelled
    CHECK(payloads[1].starts_with("1|11|3|0|C|"));  // C takes B's line, on its own id
    CHECK(change.requests == 1);
    CHECK(book.lines()[2].state == LineState::refused);  // D: no line left
    CHECK(book.refused_text() == "1 line refused: beyond max_market_data_lines 2");
}
