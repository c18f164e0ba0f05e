// The host's bar operator on its own (pipeline/bar_builder.hpp, bar_operator.hpp): exact bars
// for scripted ticks, interval boundaries, empty intervals, late ticks, the timer's close and
// the flush. Every time is given explicitly; nothing here reads a clock.

#include "pipeline/bar_builder.hpp"
#include "pipeline/bar_operator.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace mdp {
namespace {

using pipeline::BarBuilder;
using pipeline::TickOutcome;

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kMinute = 60 * kSecond;
// A whole minute (and whole second) of UTC: 2023-11-14 22:13:00.
constexpr std::int64_t kT0 = 1'699'999'980 * kSecond;

config::BarsConfig bars_config(std::vector<std::int64_t> intervals_ns, std::int64_t grace_ms = 1000,
                               config::BarSource source = config::BarSource::trades) {
    config::BarsConfig bars;
    bars.intervals_ns = std::move(intervals_ns);
    bars.source = source;
    bars.grace_ms = grace_ms;
    return bars;
}

mdp_event_t trade(const char* symbol, std::int64_t time_ns, double price, double size) {
    mdp_event_t event{};
    event.size = sizeof(event);
    event.type = MDP_EVENT_TRADE;
    event.event_time_ns = time_ns;
    event.receive_time_ns = time_ns;
    std::strncpy(event.symbol, symbol, MDP_SYMBOL_CAPACITY - 1);
    event.body.trade.price = price;
    event.body.trade.size = size;
    return event;
}

mdp_event_t quote(const char* symbol, std::int64_t time_ns, double bid, double ask) {
    mdp_event_t event = trade(symbol, time_ns, 0.0, 0.0);
    event.type = MDP_EVENT_QUOTE;
    event.body.quote = mdp_quote_t{bid, ask, 100.0, 200.0, std::nan("")};
    return event;
}

// Offers `event` at a wall clock just after its event time (a live feed).
TickOutcome add_live(BarBuilder& builder, const mdp_event_t& event, BarBuilder::ClosedBars& closed) {
    return builder.add(event, event.event_time_ns + 1'000'000, closed);
}

struct ExpectedBar {
    std::string symbol;
    std::int64_t start_ns;
    std::int64_t interval_ns;
    double open, high, low, close, volume, vwap;
    std::int64_t trade_count;
};

void check_bar(const mdp_event_t& bar, const ExpectedBar& expected) {
    INFO(expected.symbol << " bar at " << expected.start_ns);
    CHECK(bar.size == sizeof(mdp_event_t));
    CHECK(bar.type == MDP_EVENT_BAR);
    CHECK(std::string(bar.symbol) == expected.symbol);
    CHECK(bar.event_time_ns == expected.start_ns);
    CHECK(bar.body.bar.interval_ns == expected.interval_ns);
    CHECK(bar.body.bar.open == Approx(expected.open).epsilon(1e-12));
    CHECK(bar.body.bar.high == Approx(expected.high).epsilon(1e-12));
    CHECK(bar.body.bar.low == Approx(expected.low).epsilon(1e-12));
    CHECK(bar.body.bar.close == Approx(expected.close).epsilon(1e-12));
    CHECK(bar.body.bar.volume == Approx(expected.volume));
    if (std::isnan(expected.vwap)) {
        CHECK(std::isnan(bar.body.bar.vwap));
    } else {
        CHECK(bar.body.bar.vwap == Approx(expected.vwap));
    }
    CHECK(bar.body.bar.trade_count == expected.trade_count);
}

}  // namespace

TEST_CASE("bars from trades: exact OHLCV, VWAP and count, a tick at the boundary opens the next bar", "[bars][unit]") {
    BarBuilder builder(bars_config({kMinute}));
    BarBuilder::ClosedBars closed;
    // Exactly at the interval's start, inside it, and its last nanosecond: one bar.
    CHECK(add_live(builder, trade("AAA", kT0, 10.0, 100), closed) == TickOutcome::aggregated);
    CHECK(add_live(builder, trade("AAA", kT0 + 10 * kSecond, 12.0, 50), closed) == TickOutcome::aggregated);
    CHECK(add_live(builder, trade("AAA", kT0 + 20 * kSecond, 9.0, 200), closed) == TickOutcome::aggregated);
    CHECK(add_live(builder, trade("AAA", kT0 + kMinute - 1, 11.0, 150), closed) == TickOutcome::aggregated);
    CHECK(closed.empty());
    // Exactly at the next interval's start: closes the first bar, opens the second.
    CHECK(add_live(builder, trade("AAA", kT0 + kMinute, 13.0, 10), closed) == TickOutcome::aggregated);
    REQUIRE(closed.size() == 1);
    // VWAP = (10*100 + 12*50 + 9*200 + 11*150) / 500 = 5050 / 500
    check_bar(closed[0], {"AAA", kT0, kMinute, 10.0, 12.0, 9.0, 11.0, 500.0, 10.1, 4});
    CHECK(closed[0].receive_time_ns == kT0 + kMinute + 1'000'000);  // when it was closed

    closed.clear();
    builder.flush(kT0 + kMinute + 5 * kSecond, closed);
    REQUIRE(closed.size() == 1);
    check_bar(closed[0], {"AAA", kT0 + kMinute, kMinute, 13.0, 13.0, 13.0, 13.0, 10.0, 13.0, 1});
}

TEST_CASE("bars: symbols have their own bars, and intervals without a tick produce none", "[bars][unit]") {
    BarBuilder builder(bars_config({kMinute}));
    BarBuilder::ClosedBars closed;
    add_live(builder, trade("AAA", kT0 + kSecond, 1.0, 1), closed);
    add_live(builder, trade("BBB", kT0 + 2 * kSecond, 2.0, 1), closed);
    // Four silent minutes for AAA, then a tick: one bar closed, no empty bars in between.
    add_live(builder, trade("AAA", kT0 + 5 * kMinute, 3.0, 1), closed);
    REQUIRE(closed.size() == 1);
    check_bar(closed[0], {"AAA", kT0, kMinute, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1});
    closed.clear();
    builder.flush(kT0 + 5 * kMinute + kSecond, closed);
    REQUIRE(closed.size() == 2);
    std::vector<std::string> starts;
    for (const auto& bar : closed) {
        starts.push_back(std::string(bar.symbol) + "@" + std::to_string((bar.event_time_ns - kT0) / kMinute));
    }
    std::sort(starts.begin(), starts.end());
    CHECK(starts == std::vector<std::string>{"AAA@5", "BBB@0"});
}

TEST_CASE("bars: the timer closes a bar at its end plus the grace, with no tick needed", "[bars][unit]") {
    BarBuilder builder(bars_config({kMinute}, 1500));
    BarBuilder::ClosedBars closed;
    CHECK(builder.next_due_ns() == BarBuilder::kNothingDue);
    add_live(builder, trade("AAA", kT0 + 30 * kSecond, 5.0, 2), closed);
    const std::int64_t due_ns = kT0 + kMinute + 1'500'000'000;
    CHECK(builder.next_due_ns() == due_ns);
    builder.close_due(due_ns - 1, closed);
    CHECK(closed.empty());
    builder.close_due(due_ns, closed);
    REQUIRE(closed.size() == 1);
    check_bar(closed[0], {"AAA", kT0, kMinute, 5.0, 5.0, 5.0, 5.0, 2.0, 5.0, 1});
    CHECK(closed[0].receive_time_ns == due_ns);
    CHECK(builder.next_due_ns() == BarBuilder::kNothingDue);
    closed.clear();
    builder.flush(due_ns + kSecond, closed);  // nothing left open: a flush adds nothing
    CHECK(closed.empty());
}

TEST_CASE("bars: late ticks are counted and never merged into a closed interval", "[bars][unit]") {
    BarBuilder builder(bars_config({kMinute}, 1000));
    BarBuilder::ClosedBars closed;
    add_live(builder, trade("AAA", kT0 + kSecond, 10.0, 1), closed);
    // A tick of the next minute closes the first bar...
    add_live(builder, trade("AAA", kT0 + kMinute + kSecond, 20.0, 1), closed);
    REQUIRE(closed.size() == 1);
    // ...so a tick of the first minute that arrives now is late, even within the grace.
    CHECK(builder.add(trade("AAA", kT0 + 59 * kSecond, 99.0, 1), kT0 + kMinute + 2 * kSecond, closed) ==
          TickOutcome::late);
    // A tick whose interval ended more than the grace ago is late, bar or no bar.
    CHECK(builder.add(trade("BBB", kT0 + 30 * kSecond, 99.0, 1), kT0 + kMinute + kSecond, closed) == TickOutcome::late);
    // Within the grace it still counts (no later tick of BBB came).
    CHECK(builder.add(trade("CCC", kT0 + 30 * kSecond, 7.0, 1), kT0 + kMinute + kSecond - 1, closed) ==
          TickOutcome::aggregated);
    closed.clear();
    builder.flush(kT0 + kMinute + 3 * kSecond, closed);
    REQUIRE(closed.size() == 2);
    for (const auto& bar : closed) {
        INFO(bar.symbol);
        CHECK(bar.body.bar.high != 99.0);
        CHECK(bar.body.bar.trade_count == 1);
    }
}

TEST_CASE("bars: after the timer closed an interval, its stragglers are late", "[bars][unit]") {
    BarBuilder builder(bars_config({kMinute}, 0));
    BarBuilder::ClosedBars closed;
    add_live(builder, trade("AAA", kT0 + kSecond, 10.0, 1), closed);
    builder.close_due(kT0 + kMinute, closed);
    REQUIRE(closed.size() == 1);
    // A straggler of the closed minute, the moment after the close.
    CHECK(builder.add(trade("AAA", kT0 + 50 * kSecond, 11.0, 1), kT0 + kMinute, closed) == TickOutcome::late);
    // And a tick older than the open bar is late too.
    add_live(builder, trade("AAA", kT0 + 3 * kMinute, 12.0, 1), closed);
    CHECK(builder.add(trade("AAA", kT0 + 2 * kMinute, 13.0, 1), kT0 + 2 * kMinute + 30 * kSecond, closed) ==
          TickOutcome::late);
    CHECK(closed.size() == 1);
}

TEST_CASE("bars: each interval judges a tick on its own, and a tick late for one counts once", "[bars][unit]") {
    BarBuilder builder(bars_config({kSecond, kMinute}, 0));
    BarBuilder::ClosedBars closed;
    add_live(builder, trade("AAA", kT0 + kSecond / 2, 1.0, 1), closed);
    add_live(builder, trade("AAA", kT0 + kSecond + kSecond / 2, 3.0, 1), closed);  // closes the first 1 s bar
    REQUIRE(closed.size() == 1);
    CHECK(closed[0].body.bar.interval_ns == kSecond);
    // Late for its 1 s bar (closed), in time for the minute bar.
    CHECK(builder.add(trade("AAA", kT0 + kSecond / 4, 2.0, 1), kT0 + kSecond + 600'000'000, closed) ==
          TickOutcome::late);
    closed.clear();
    builder.flush(kT0 + 2 * kSecond, closed);
    REQUIRE(closed.size() == 2);
    const auto& minute = closed[0].body.bar.interval_ns == kMinute ? closed[0] : closed[1];
    const auto& second = closed[0].body.bar.interval_ns == kSecond ? closed[0] : closed[1];
    check_bar(minute, {"AAA", kT0, kMinute, 1.0, 3.0, 1.0, 2.0, 3.0, 2.0, 3});
    check_bar(second, {"AAA", kT0 + kSecond, kSecond, 3.0, 3.0, 3.0, 3.0, 1.0, 3.0, 1});
}

TEST_CASE("bars from quotes_mid: mid prices, volume 0, trade_count 0, VWAP unknown", "[bars][unit]") {
    BarBuilder builder(bars_config({kMinute}, 1000, config::BarSource::quotes_mid));
    BarBuilder::ClosedBars closed;
    CHECK(add_live(builder, quote("EUR", kT0 + kSecond, 1.0, 1.2), closed) == TickOutcome::aggregated);
    CHECK(add_live(builder, quote("EUR", kT0 + 2 * kSecond, 1.3, 1.5), closed) == TickOutcome::aggregated);
    CHECK(add_live(builder, quote("EUR", kT0 + 3 * kSecond, 0.9, 1.1), closed) == TickOutcome::aggregated);
    CHECK(add_live(builder, quote("EUR", kT0 + 4 * kSecond, std::nan(""), 1.1), closed) == TickOutcome::unpriced);
    CHECK(add_live(builder, trade("EUR", kT0 + 5 * kSecond, 50.0, 1), closed) == TickOutcome::not_a_tick);
    builder.flush(kT0 + 6 * kSecond, closed);
    REQUIRE(closed.size() == 1);
    check_bar(closed[0], {"EUR", kT0, kMinute, 1.1, 1.4, 1.0, 1.0, 0.0, std::nan(""), 0});
}

TEST_CASE("bars from trades: unusable trades and other events are left out", "[bars][unit]") {
    BarBuilder builder(bars_config({kMinute}));
    BarBuilder::ClosedBars closed;
    CHECK(add_live(builder, trade("AAA", kT0, std::nan(""), 1), closed) == TickOutcome::unpriced);
    CHECK(add_live(builder, trade("AAA", kT0, 1.0, -1), closed) == TickOutcome::unpriced);
    CHECK(add_live(builder, trade("AAA", kT0, 1.0, std::numeric_limits<double>::infinity()), closed) ==
          TickOutcome::unpriced);
    CHECK(add_live(builder, quote("AAA", kT0, 1.0, 2.0), closed) == TickOutcome::not_a_tick);
    // More than grace + 1 s ahead of the wall clock: a bad timestamp, not a bar hours ahead.
    CHECK(builder.add(trade("AAA", kT0 + 10 * kSecond, 1.0, 1), kT0 + 7 * kSecond, closed) == TickOutcome::future);
    mdp_event_t delayed = trade("AAA", kT0 + kSecond, 4.0, 0);
    delayed.flags = MDP_EVENT_FLAG_DELAYED | MDP_EVENT_FLAG_SNAPSHOT;
    CHECK(add_live(builder, delayed, closed) == TickOutcome::aggregated);
    builder.flush(kT0 + 2 * kSecond, closed);
    REQUIRE(closed.size() == 1);
    // Only a trade of size 0: no volume, so no VWAP; the bar inherits "delayed" only.
    check_bar(closed[0], {"AAA", kT0, kMinute, 4.0, 4.0, 4.0, 4.0, 0.0, std::nan(""), 1});
    CHECK(closed[0].flags == MDP_EVENT_FLAG_DELAYED);
}

TEST_CASE("bar operator: counts what it leaves out, publishes what closes, flushes on new settings", "[bars][unit]") {
    pipeline::BarOperator bars;
    std::vector<mdp_event_t> published;
    const auto publish = [&](std::span<const mdp_event_t> closed) {
        published.insert(published.end(), closed.begin(), closed.end());
    };
    CHECK_FALSE(bars.enabled());
    const std::vector events{trade("AAA", kT0 + kSecond, 1.0, 1), trade("AAA", kT0 + 2 * kSecond, 2.0, 1)};
    bars.observe(reinterpret_cast<const unsigned char*>(events.data()), sizeof(mdp_event_t), 2, kT0, publish);
    CHECK(published.empty());  // off: nothing kept

    CHECK(bars.configure(bars_config({kMinute}), kT0, publish));
    CHECK(bars.enabled());
    CHECK_FALSE(bars.configure(bars_config({kMinute}), kT0, publish));  // the same: nothing to do
    bars.observe(reinterpret_cast<const unsigned char*>(events.data()), sizeof(mdp_event_t), 2, kT0 + 3 * kSecond,
                 publish);
    const mdp_event_t straggler = trade("AAA", kT0 - kSecond, 1.0, 1);
    const mdp_event_t unpriced = trade("AAA", kT0 + kSecond, std::nan(""), 1);
    bars.observe(reinterpret_cast<const unsigned char*>(&straggler), sizeof(mdp_event_t), 1, kT0 + 4 * kSecond,
                 publish);
    bars.observe(reinterpret_cast<const unsigned char*>(&unpriced), sizeof(mdp_event_t), 1, kT0 + 4 * kSecond, publish);
    CHECK(bars.ignored(pipeline::IgnoredTick::late) == 1);
    CHECK(bars.ignored(pipeline::IgnoredTick::unpriced) == 1);
    CHECK(bars.ignored(pipeline::IgnoredTick::future) == 0);
    CHECK(published.empty());
    CHECK(bars.close_due(kT0 + 5 * kSecond, publish) == kT0 + kMinute + kSecond);

    // New settings: the open minute bar is published first, then the new intervals apply.
    CHECK(bars.configure(bars_config({kSecond}), kT0 + 5 * kSecond, publish));
    REQUIRE(published.size() == 1);
    check_bar(published[0], {"AAA", kT0, kMinute, 1.0, 2.0, 1.0, 2.0, 2.0, 1.5, 2});
    CHECK(bars.config().intervals_ns == std::vector<std::int64_t>{kSecond});
    CHECK(bars.close_due(kT0 + 5 * kSecond, publish) == BarBuilder::kNothingDue);

    CHECK(bars.configure(config::BarsConfig{}, kT0 + 6 * kSecond, publish));
    CHECK_FALSE(bars.enabled());
}

}  // namespace mdp
