// Bars from trades: OHLC, volume, VWAP and count, closed exactly at interval boundaries.
#include "bar_aggregator.hpp"

#include <catch2/catch.hpp>

using mdp::synthetic::BarAggregator;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kMinute = 60 * kSecond;
// A whole minute in 2024 (UTC ns), so bars align to it.
constexpr std::int64_t kMinuteStart = 1'704'067'200LL * kSecond;

}  // namespace

TEST_CASE("bar aggregator: trades within one interval make one bar, closed by the first trade after it",
          "[synthetic][bars]") {
    BarAggregator bars(kMinute);
    CHECK_FALSE(bars.add_trade(kMinuteStart + 1 * kSecond, 10.0, 100));
    CHECK_FALSE(bars.add_trade(kMinuteStart + 20 * kSecond, 12.0, 50));
    CHECK_FALSE(bars.add_trade(kMinuteStart + 30 * kSecond, 9.0, 200));
    CHECK_FALSE(bars.add_trade(kMinuteStart + 59 * kSecond, 11.0, 150));
    CHECK(bars.has_open_bar());

    const auto closed = bars.add_trade(kMinuteStart + kMinute, 13.0, 10);  // first instant of the next bar
    REQUIRE(closed);
    CHECK(closed->start_time_ns == kMinuteStart);
    CHECK(closed->bar.interval_ns == kMinute);
    CHECK(closed->bar.open == 10.0);
    CHECK(closed->bar.high == 12.0);
    CHECK(closed->bar.low == 9.0);
    CHECK(closed->bar.close == 11.0);
    CHECK(closed->bar.volume == 500.0);
    CHECK(closed->bar.vwap == Approx((10.0 * 100 + 12.0 * 50 + 9.0 * 200 + 11.0 * 150) / 500.0));
    CHECK(closed->bar.trade_count == 4);

    // The trade that closed it opened the next bar.
    const auto next = bars.close_if_due(kMinuteStart + 2 * kMinute);
    REQUIRE(next);
    CHECK(next->start_time_ns == kMinuteStart + kMinute);
    CHECK(next->bar.open == 13.0);
    CHECK(next->bar.close == 13.0);
    CHECK(next->bar.volume == 10.0);
    CHECK(next->bar.vwap == 13.0);
    CHECK(next->bar.trade_count == 1);
    CHECK_FALSE(bars.has_open_bar());
}

TEST_CASE("bar aggregator: the clock closes a bar exactly when its interval ends", "[synthetic][bars]") {
    BarAggregator bars(5 * kSecond);
    const std::int64_t start = kMinuteStart + 10 * kSecond;
    CHECK_FALSE(bars.add_trade(start + 2 * kSecond, 100.0, 1));
    CHECK_FALSE(bars.close_if_due(start + 5 * kSecond - 1));
    const auto closed = bars.close_if_due(start + 5 * kSecond);
    REQUIRE(closed);
    CHECK(closed->start_time_ns == start);
    CHECK_FALSE(bars.close_if_due(start + 100 * kSecond));  // handed out once
}

TEST_CASE("bar aggregator: intervals without trades produce no bar", "[synthetic][bars]") {
    BarAggregator bars(kMinute);
    CHECK_FALSE(bars.close_if_due(kMinuteStart + 10 * kMinute));  // nothing open
    CHECK_FALSE(bars.add_trade(kMinuteStart + 5 * kSecond, 1.0, 1));
    // The next trade comes three intervals later: one bar (the first), not three.
    const auto closed = bars.add_trade(kMinuteStart + 3 * kMinute + 7 * kSecond, 2.0, 1);
    REQUIRE(closed);
    CHECK(closed->start_time_ns == kMinuteStart);
    CHECK(closed->bar.trade_count == 1);
    const auto second = bars.close_if_due(kMinuteStart + 4 * kMinute);
    REQUIRE(second);
    CHECK(second->start_time_ns == kMinuteStart + 3 * kMinute);
}

TEST_CASE("bar aggregator: a trade slightly older than the open bar is counted into it", "[synthetic][bars]") {
    BarAggregator bars(kMinute);
    CHECK_FALSE(bars.add_trade(kMinuteStart + kMinute + kSecond, 10.0, 1));
    CHECK_FALSE(bars.add_trade(kMinuteStart + kMinute - kSecond, 8.0, 1));  // clock stepped back
    const auto closed = bars.close_if_due(kMinuteStart + 2 * kMinute);
    REQUIRE(closed);
    CHECK(closed->start_time_ns == kMinuteStart + kMinute);
    CHECK(closed->bar.trade_count == 2);
    CHECK(closed->bar.low == 8.0);
    CHECK(closed->bar.close == 8.0);
}

TEST_CASE("bar aggregator: bars align to the epoch, also before it", "[synthetic][bars]") {
    BarAggregator bars(kMinute);
    CHECK_FALSE(bars.add_trade(-kSecond, 1.0, 1));
    const auto closed = bars.add_trade(0, 1.0, 1);
    REQUIRE(closed);
    CHECK(closed->start_time_ns == -kMinute);
}
