// The bar backfill on its own: which gaps it requests, what it asks for, which bars of the
// reply it publishes (flagged), and how it paces, retries and survives a reconnect.

#include "codec/client_message_codec.hpp"
#include "codec/error_codes.hpp"
#include "codec/historical_time.hpp"
#include "config/ibkr_config.hpp"
#include "market_data/market_data_translator.hpp"
#include "session/bar_backfill.hpp"
#include "session/request_ids.hpp"
#include "session/subscription_book.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace mdp::ibkr;
using namespace std::chrono_literals;
using Clock = BarBackfill::Clock;

namespace {

constexpr int kServerVersion = 176;
constexpr std::int64_t kT = 1'796'270'000;  // a bar start, Unix seconds

struct Requests : ClientMessageHandler {
    std::vector<int> ids;
    std::vector<std::string> descriptions;  // "AAPL end=... duration=... 5 secs TRADES"
    void on_req_historical_data(const ReqHistoricalData& message) override {
        ids.push_back(message.request_id);
        descriptions.push_back(std::string(message.contract.symbol) + " end=" + std::string(message.end_date_time) +
                               " duration=" + std::string(message.duration) + " " +
                               std::string(message.bar_size_setting) + " " + std::string(message.what_to_show) +
                               " format=" + std::to_string(message.format_date));
    }
};

// The requests queued on `outbox`: all of it, released on `outbox_clock` (its own clock, which
// only moves forward, so the message-rate pacing never holds one back).
Requests sent(PacedOutbox& outbox, Clock::time_point& outbox_clock) {
    std::string bytes;
    while (outbox.queued() > 0) {
        outbox_clock += 1s;
        outbox.release(bytes, outbox_clock);
    }
    Requests requests;
    std::string_view rest = bytes;
    while (rest.size() >= 4) {
        const std::size_t length = (static_cast<std::size_t>(static_cast<unsigned char>(rest[0])) << 24) |
                                   (static_cast<std::size_t>(static_cast<unsigned char>(rest[1])) << 16) |
                                   (static_cast<std::size_t>(static_cast<unsigned char>(rest[2])) << 8) |
                                   static_cast<unsigned char>(rest[3]);
        decode_client_message(rest.substr(4, length), kServerVersion, requests);
        rest.remove_prefix(4 + length);
    }
    return requests;
}

struct Fixture {
    IbkrConfig config =
        parse_ibkr_config(R"({"contracts": ["AAPL", "MSFT", "IBM", "A", "B", "C"], "real_time_bars": true})");
    SubscriptionBook book{config};
    MarketDataTranslator translator{config.contracts, true};
    std::vector<std::string> logs;
    BarBackfill backfill{config, [this](int /*level*/, const std::string& message) { logs.push_back(message); }};
    Clock::time_point now{std::chrono::hours(1)};
    Clock::time_point outbox_clock = now;
    PacedOutbox outbox{45.0, outbox_clock};

    // Live bars at kT and kT + 5 * `next_bar` for `slot`, with a loss between them.
    void gap(std::size_t slot, std::int64_t next_bar) {
        backfill.on_live_bar(slot, kT);
        backfill.note_data_loss();
        backfill.on_live_bar(slot, kT + 5 * next_bar);
    }
    Requests release() {
        backfill.release(outbox, book, kServerVersion, now);
        return sent(outbox, outbox_clock);
    }
};

ErrorMessage error_for(int request_id, int code, std::string_view text) {
    ErrorMessage error;
    error.request_id = request_id;
    error.code = code;
    error.message = text;
    return error;
}

HistoricalBar bar_at(const std::string& date) { return HistoricalBar{date, 10.0, 11.0, 9.0, 10.5, 100, 10.2, 3}; }

}  // namespace

TEST_CASE("a gap after a data loss is requested as 5 secs bars ending at the first live bar", "[ibkr][backfill]") {
    Fixture f;
    f.backfill.on_live_bar(0, kT);
    f.backfill.on_live_bar(0, kT + 15);  // a gap, but nothing was lost: not ours to fill
    CHECK(f.backfill.counters().windows_queued == 0);
    f.backfill.note_data_loss();
    f.backfill.on_live_bar(0, kT + 20);  // no gap after the loss
    CHECK(f.backfill.counters().windows_queued == 0);
    f.backfill.note_data_loss();
    f.backfill.on_live_bar(0, kT + 50);  // 25 s missing: kT+25 .. kT+45
    CHECK(f.backfill.counters().windows_queued == 1);
    CHECK(f.backfill.next_release_time() == Clock::time_point::min());
    const Requests requests = f.release();
    REQUIRE(requests.ids == std::vector<int>{request_ids::historical(0)});
    CHECK(requests.descriptions[0] == "AAPL end=" + utc_date_time(kT + 50) + " duration=25 S 5 secs TRADES format=2");
    CHECK(f.backfill.counters().open == 1);
}

TEST_CASE("only the reply's bars inside the hole are published, flagged backfilled", "[ibkr][backfill]") {
    Fixture f;
    f.gap(1, 4);  // MSFT: kT+5 .. kT+15 missing
    REQUIRE(f.release().ids.size() == 1);
    HistoricalData reply;
    reply.request_id = request_ids::historical(1);
    const std::vector<std::string> dates = {std::to_string(kT),      std::to_string(kT + 5),  std::to_string(kT + 10),
                                            std::to_string(kT + 15), std::to_string(kT + 20), "20261203 04:10:00"};
    for (const auto& date : dates) {
        reply.bars.push_back(bar_at(date));
    }
    CHECK(f.backfill.on_historical_data(reply, f.translator));
    const auto& batch = f.translator.batch();
    REQUIRE(batch.size() == 3);
    for (std::size_t index = 0; index < batch.size(); ++index) {
        CHECK(std::string(batch[index].event.symbol) == "MSFT");
        CHECK(batch[index].event.type == MDP_EVENT_BAR);
        CHECK(batch[index].event.flags == MDP_EVENT_FLAG_BACKFILLED);
        CHECK(batch[index].event.body.bar.interval_ns == 5'000'000'000);
        CHECK(batch[index].event.event_time_ns == (kT + 5 + 5 * static_cast<std::int64_t>(index)) * 1'000'000'000);
        CHECK(batch[index].event.body.bar.trade_count == 3);
    }
    CHECK(f.logs.back().find("expected epoch seconds") != std::string::npos);
    CHECK(f.backfill.on_historical_data_end(HistoricalDataEnd{reply.request_id, "", ""}));
    const BackfillCounters counters = f.backfill.counters();
    CHECK(counters.bars_published == 3);
    CHECK(counters.windows_completed == 1);
    CHECK(counters.open == 0);
    // Not ours: another request id, or the same once ended.
    CHECK_FALSE(f.backfill.on_historical_data(reply, f.translator));
    CHECK_FALSE(f.backfill.on_historical_data_end(HistoricalDataEnd{reply.request_id, "", ""}));
}

TEST_CASE("at most five requests are open and an answer lets the next one go", "[ibkr][backfill][pacing]") {
    Fixture f;
    for (std::size_t slot = 0; slot < 6; ++slot) {
        f.gap(slot, 3);
    }
    CHECK(f.release().ids.size() == 5);
    CHECK(f.backfill.counters().pending == 1);
    CHECK(f.backfill.next_release_time() == Clock::time_point::max());  // only an answer frees a place
    CHECK(f.backfill.on_historical_data_end(HistoricalDataEnd{request_ids::historical(2), "", ""}));
    CHECK(f.release().ids == std::vector<int>{request_ids::historical(5)});
}

TEST_CASE("a window open when the connection ends is asked again, no sooner than IB allows",
          "[ibkr][backfill][pacing]") {
    Fixture f;
    f.gap(0, 3);
    REQUIRE(f.release().ids.size() == 1);
    f.backfill.on_connection_lost();
    CHECK(f.backfill.counters().pending == 1);
    CHECK(f.release().ids.empty());  // the identical request went out just now
    // 15 s for an identical request, plus the provider's margin.
    CHECK(f.backfill.next_release_time() == f.now + 15s + kBackfillPacingMargin);
    f.now += 15s + kBackfillPacingMargin;
    CHECK(f.release().ids == std::vector<int>{request_ids::historical(0)});
}

TEST_CASE("a pacing violation is retried but other refusals and the third violation give up", "[ibkr][backfill]") {
    Fixture f;
    f.gap(0, 3);
    f.gap(1, 3);
    REQUIRE(f.release().ids.size() == 2);
    const ErrorMessage pacing =
        error_for(request_ids::historical(0), error_code::kHistoricalDataQueryError,
                  "Historical Market Data Service error message:Historical data request pacing violation");
    for (int attempt = 1; attempt < kMaxBackfillAttempts; ++attempt) {
        CHECK(f.backfill.on_request_error(pacing));
        CHECK(f.backfill.counters().pending == 1);
        f.now += 20s;
        REQUIRE(f.release().ids == std::vector<int>{request_ids::historical(0)});
    }
    CHECK(f.backfill.on_request_error(pacing));
    CHECK(f.backfill.counters().pending == 0);
    CHECK(f.backfill.on_request_error(error_for(request_ids::historical(1), 200, "No security definition")));
    const BackfillCounters counters = f.backfill.counters();
    CHECK(counters.windows_failed == 2);
    CHECK(counters.open == 0);
    CHECK(counters.requests_sent == 4);
    CHECK_FALSE(f.backfill.on_request_error(error_for(request_ids::market_data(0), 200, "x")));
}

TEST_CASE("a gap longer than an hour is backfilled for its last hour", "[ibkr][backfill]") {
    Fixture f;
    f.gap(0, std::int64_t{2} * 720);  // two hours later
    const Requests requests = f.release();
    REQUIRE(requests.ids.size() == 1);
    CHECK(requests.descriptions[0].find(" duration=3600 S ") != std::string::npos);
}
