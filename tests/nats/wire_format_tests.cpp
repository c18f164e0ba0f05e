// The wire format of plugin-api/include/mdp/wire/: a round trip keeps every field bit for
// bit (binary) or as documented (JSON), golden bytes pin the binary layout of
// docs/scale-out.md, and bad input is rejected with a reason, never a crash.
#include "sink_test_events.hpp"

#include <mdp/wire/event_codec.hpp>

#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

using mdp::wire::DecodeResult;
using mdp::wire::Encoding;
using mdp::wire::EventRef;
using mdp::wire::WireEvent;

namespace {

std::vector<WireEvent> sample_events() {
    std::vector<WireEvent> events;
    for (const auto& record : {mdp::test::make_quote(1, "EUR.USD", 1.0842), mdp::test::make_trade(2, "MSFT", 411.5),
                               mdp::test::make_bar(3, 1'700'000'000'000'000'000, 99.5, "ES")}) {
        events.push_back({record.sequence, record.event});
    }
    // NaN with a payload, a negative zero and an infinity: the binary format keeps the bits.
    events[0].event.body.quote.last = std::bit_cast<double>(std::uint64_t{0x7FF8'0000'0000'1234});
    events[0].event.body.quote.bid_size = -0.0;
    events[1].event.body.trade.size = std::numeric_limits<double>::infinity();
    events[2].event.flags = MDP_EVENT_FLAG_DELAYED | MDP_EVENT_FLAG_REPLAYED;
    WireEvent unknown{4, events[0].event};
    unknown.event.type = 9;
    for (std::size_t i = 0; i < sizeof(unknown.event.body.reserved); ++i) {
        unknown.event.body.reserved[i] = static_cast<std::uint8_t>(i * 3);
    }
    events.push_back(unknown);
    return events;
}

std::string encode(Encoding encoding, const std::vector<WireEvent>& events, const std::string& origin = "ibkr",
                   const std::string& run_id = "run-7") {
    std::string out;
    mdp::wire::encode_batch(encoding, out, origin, run_id, events.size(), [&](std::size_t i) {
        return EventRef{events[i].seq, &events[i].event};
    });
    return out;
}

// The bytes a record's fields occupy (the body of known types only up to its last field).
bool same_bits(const mdp_event_t& a, const mdp_event_t& b) {
    std::size_t body_bytes = sizeof(a.body);
    if (a.type == MDP_EVENT_QUOTE) {
        body_bytes = sizeof(mdp_quote_t);
    } else if (a.type == MDP_EVENT_TRADE) {
        body_bytes = sizeof(mdp_trade_t);
    }
    return a.type == b.type && a.flags == b.flags && a.event_time_ns == b.event_time_ns &&
           a.receive_time_ns == b.receive_time_ns && std::memcmp(a.symbol, b.symbol, sizeof(a.symbol)) == 0 &&
           std::memcmp(a.body.reserved, b.body.reserved, body_bytes) == 0;
}

std::string hex(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text;
    for (const char c : bytes) {
        text += kHex[static_cast<unsigned char>(c) >> 4];
        text += kHex[static_cast<unsigned char>(c) & 0x0F];
    }
    return text;
}

}  // namespace

TEST_CASE("binary round trip keeps identity and every field bit for bit", "[nats][unit]") {
    const auto events = sample_events();
    const std::string payload = encode(Encoding::binary, events);
    CHECK(payload.size() == mdp::wire::binary_batch_bytes(4, 5, events.size()));
    const DecodeResult decoded = mdp::wire::decode_batch("mdp.events.bin/1", payload);
    REQUIRE(decoded.ok());
    CHECK(decoded.batch.origin == "ibkr");
    CHECK(decoded.batch.run_id == "run-7");
    REQUIRE(decoded.batch.events.size() == events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
        INFO("event " << i);
        CHECK(decoded.batch.events[i].seq == events[i].seq);
        CHECK(decoded.batch.events[i].event.size == sizeof(mdp_event_t));
        CHECK(same_bits(decoded.batch.events[i].event, events[i].event));
    }
}

TEST_CASE("JSON round trip keeps identity and fields, non-finite doubles as NaN", "[nats][unit]") {
    auto events = sample_events();
    const std::string payload = encode(Encoding::json, events);
    const DecodeResult decoded = mdp::wire::decode_batch("mdp.events.json/1", payload);
    REQUIRE(decoded.ok());
    CHECK(decoded.batch.origin == "ibkr");
    CHECK(decoded.batch.run_id == "run-7");
    REQUIRE(decoded.batch.events.size() == events.size());
    const auto& quote = decoded.batch.events[0].event.body.quote;
    CHECK(std::isnan(quote.last));
    CHECK(std::signbit(quote.bid_size));  // -0.0 survives as text "-0.0"
    CHECK(std::bit_cast<std::uint64_t>(quote.bid) == std::bit_cast<std::uint64_t>(events[0].event.body.quote.bid));
    CHECK(std::isnan(decoded.batch.events[1].event.body.trade.size));  // infinity -> null -> NaN
    // With the documented losses put back, everything else is bit-identical.
    events[0].event.body.quote.last = quote.last;
    events[1].event.body.trade.size = decoded.batch.events[1].event.body.trade.size;
    for (std::size_t i = 0; i < events.size(); ++i) {
        INFO("event " << i);
        CHECK(decoded.batch.events[i].seq == events[i].seq);
        CHECK(same_bits(decoded.batch.events[i].event, events[i].event));
    }
}

TEST_CASE("golden bytes pin the binary layout of mdp.events.bin/1", "[nats][unit]") {
    mdp_event_t quote{};
    quote.size = sizeof(mdp_event_t);
    quote.type = MDP_EVENT_QUOTE;
    quote.flags = MDP_EVENT_FLAG_DELAYED;
    quote.event_time_ns = 0x0102030405060708;
    quote.receive_time_ns = -2;
    std::memcpy(quote.symbol, "AB", 3);
    quote.body.quote = {1.5, 2.0, -0.0, 0.25, 1.75};
    const std::vector<WireEvent> events{{0x1122334455667788ULL, quote}};
    const std::string payload = encode(Encoding::binary, events, "p", "r1");
    const std::string expected =
        // header: magic, version 1, header_bytes 32, 1 event, record_bytes 128, origin 1, run id 2, zero
        "4d445045"
        "0100"
        "2000"
        "01000000"
        "8000"
        "0100"
        "0200"
        "000000000000"
        // "p", "r1", padding to 32
        "70"
        "7231"
        "0000000000"
        // record: seq, event_time_ns, receive_time_ns, type 1, flags 1, zero
        "8877665544332211"
        "0807060504030201"
        "feffffffffffffff"
        "0100"
        "0100"
        "00000000"
        // symbol "AB" and NUL padding to 32 bytes
        "4142000000000000000000000000000000000000000000000000000000000000"
        // quote body: bid 1.5, ask 2.0, bid_size -0.0, ask_size 0.25, last 1.75, zero to 64 bytes
        "000000000000f83f"
        "0000000000000040"
        "0000000000000080"
        "000000000000d03f"
        "000000000000fc3f"
        "000000000000000000000000000000000000000000000000";
    CHECK(hex(payload) == expected);
}

TEST_CASE("decoding rejects truncated, trailing, foreign and future input with a reason", "[nats][unit]") {
    const std::string payload = encode(Encoding::binary, sample_events());
    const auto error_of = [](std::string_view format, std::string_view bytes) {
        return mdp::wire::decode_batch(format, bytes).error;
    };
    CHECK_THAT(error_of("mdp.events.bin/1", payload.substr(0, payload.size() - 1)), Catch::Contains("truncated"));
    CHECK_THAT(error_of("mdp.events.bin/1", payload.substr(0, 10)), Catch::Contains("truncated"));
    CHECK_THAT(error_of("mdp.events.bin/1", payload + "x"), Catch::Contains("trailing bytes"));
    CHECK_THAT(error_of("mdp.events.bin/1", "MDPX" + payload.substr(4)), Catch::Contains("not an mdp event batch"));
    CHECK_THAT(error_of("mdp.events.bin/2", payload), Catch::Contains("mdp.events.bin/2 is newer than this reader"));
    CHECK_THAT(error_of("mdp.events.json/3", "{}"), Catch::Contains("newer than this reader"));
    CHECK_THAT(error_of("application/x-protobuf", payload), Catch::Contains("unknown format id"));
    CHECK_THAT(error_of("mdp.events.bin", payload), Catch::Contains("malformed format id"));
    std::string future = payload;
    future[4] = 2;  // the payload's own version field
    CHECK_THAT(error_of("mdp.events.bin/1", future), Catch::Contains("payload version 2"));
    const std::size_t header_bytes = mdp::wire::binary_batch_bytes(4, 5, 0);
    std::string zero_seq = payload;
    std::memset(zero_seq.data() + header_bytes, 0, 8);
    CHECK_THAT(error_of("mdp.events.bin/1", zero_seq), Catch::Contains("event 0: seq 0"));
    std::string no_nul = payload;
    std::memset(no_nul.data() + header_bytes + 32, 'A', 32);
    CHECK_THAT(error_of("mdp.events.bin/1", no_nul), Catch::Contains("terminating NUL"));
    CHECK_THAT(error_of("mdp.events.json/1", "[1,2"), Catch::Contains("not a JSON object"));
    CHECK_THAT(error_of("mdp.events.json/1", R"({"format":"mdp.events.json/1","origin":"a","run_id":"r",)"
                                             R"("events":[{"seq":1,"type":"quote"}]})"),
               Catch::Contains("events[0]: missing \"flags\""));
}
