// IB's historical-data pacing rules (codec/historical_pacing.hpp) on hand-computed timelines:
// when the provider may send, and what the fake gateway calls a violation.

#include "codec/client_messages.hpp"
#include "codec/historical_pacing.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace mdp::ibkr;
using namespace std::chrono_literals;
using Clock = HistoricalPacing::Clock;

namespace {

HistoricalRequestKey key_for(std::string_view symbol, std::string_view end, std::string_view what = "TRADES") {
    ReqHistoricalData request;
    request.contract.symbol = symbol;
    request.contract.sec_type = "STK";
    request.contract.exchange = "SMART";
    request.contract.currency = "USD";
    request.end_date_time = end;
    request.bar_size_setting = "5 secs";
    request.duration = "60 S";
    request.what_to_show = what;
    return historical_request_key(request);
}

const Clock::time_point t0{std::chrono::hours(1)};

}  // namespace

TEST_CASE("an identical request waits 15 s and a different window does not", "[ibkr][pacing][historical]") {
    HistoricalPacing pacing(HistoricalPacingLimits{});
    const auto first = key_for("AAPL", "20261203-04:10:00");
    CHECK(pacing.earliest_send(first, t0) == t0);
    pacing.record_sent(first, t0);
    CHECK(pacing.earliest_send(first, t0 + 1s) == t0 + 15s);
    CHECK(pacing.violation(first, t0 + 14999ms) == std::optional<std::string>("identical request within 15 s"));
    CHECK_FALSE(pacing.violation(first, t0 + 15s));
    CHECK(pacing.earliest_send(key_for("AAPL", "20261203-04:10:05"), t0 + 1s) == t0 + 1s);
    CHECK(pacing.earliest_send(key_for("AAPL", "20261203-04:10:00", "MIDPOINT"), t0 + 1s) == t0 + 1s);
}

TEST_CASE("the sixth request for one contract and data type within 2 s waits", "[ibkr][pacing][historical]") {
    HistoricalPacing pacing(HistoricalPacingLimits{});
    const char* ends[] = {"20261203-04:00:00", "20261203-04:01:00", "20261203-04:02:00",
                          "20261203-04:03:00", "20261203-04:04:00", "20261203-04:05:00"};
    for (int index = 0; index < 5; ++index) {
        const auto at = t0 + index * 100ms;
        REQUIRE(pacing.earliest_send(key_for("AAPL", ends[index]), at) == at);
        pacing.record_sent(key_for("AAPL", ends[index]), at);
    }
    // Five went out at 0, 100, ..., 400 ms: a sixth may go once the first is 2 s old.
    CHECK(pacing.earliest_send(key_for("AAPL", ends[5]), t0 + 500ms) == t0 + 2s);
    CHECK(pacing.violation(key_for("AAPL", ends[5]), t0 + 1999ms).has_value());
    CHECK_FALSE(pacing.violation(key_for("AAPL", ends[5]), t0 + 2s));
    // Another contract, or another data type of the same contract, is not held back.
    CHECK(pacing.earliest_send(key_for("MSFT", ends[5]), t0 + 500ms) == t0 + 500ms);
    CHECK(pacing.earliest_send(key_for("AAPL", ends[5], "BID"), t0 + 500ms) == t0 + 500ms);
}

TEST_CASE("no more than 60 requests within any ten minutes", "[ibkr][pacing][historical]") {
    HistoricalPacing pacing(HistoricalPacingLimits{});
    for (int index = 0; index < 60; ++index) {
        // One contract each, one every 5 s: only the ten-minute rule can bind.
        const auto key = key_for("S" + std::to_string(index), "20261203-04:10:00");
        const auto at = t0 + index * 5s;
        REQUIRE(pacing.earliest_send(key, at) == at);
        pacing.record_sent(key, at);
        pacing.finished();
    }
    const auto next = key_for("NEXT", "20261203-04:10:00");
    CHECK(pacing.earliest_send(next, t0 + 300s) == t0 + 600s);
    CHECK(pacing.violation(next, t0 + 599s) == std::optional<std::string>("more than 60 requests within ten minutes"));
    CHECK_FALSE(pacing.violation(next, t0 + 600s));
    pacing.record_sent(next, t0 + 600s);
    // The window slides: the 62nd waits for the second request to be ten minutes old.
    CHECK(pacing.earliest_send(key_for("LAST", "20261203-04:10:00"), t0 + 600s) == t0 + 605s);
}

TEST_CASE("open requests are capped and the margin widens every gap", "[ibkr][pacing][historical]") {
    HistoricalPacingLimits limits;
    limits.max_open = 2;
    limits.safety_margin = 500ms;
    HistoricalPacing pacing(limits);
    const auto a = key_for("AAPL", "20261203-04:10:00");
    pacing.record_sent(a, t0);
    pacing.record_sent(key_for("MSFT", "20261203-04:10:00"), t0);
    CHECK(pacing.open_requests() == 2);
    CHECK(pacing.earliest_send(key_for("IBM", "20261203-04:10:00"), t0) == Clock::time_point::max());
    pacing.finished();
    CHECK(pacing.earliest_send(key_for("IBM", "20261203-04:10:00"), t0) == t0);
    CHECK(pacing.earliest_send(a, t0) == t0 + 15500ms);
    // The gateway's view ignores the margin and the cap.
    CHECK_FALSE(pacing.violation(a, t0 + 15s));
    pacing.forget_open();
    CHECK(pacing.open_requests() == 0);
}
