// Lenient number parsing and canonical number formatting of the text protocol.

#include "codec/number_text.hpp"
#include "codec/tick_types.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace mdp::ibkr;

namespace {
std::string formatted(double value, DoubleStyle style) {
    std::string out;
    append_double(out, value, style);
    return out;
}
}  // namespace

TEST_CASE("integers parse leniently and sentinels mean unset", "[ibkr][codec][numbers]") {
    CHECK(parse_integer("42").status == NumberStatus::value);
    CHECK(parse_integer("42").value == 42);
    CHECK(parse_integer("-1").value == -1);
    CHECK(parse_integer(" +7 ").value == 7);
    CHECK(parse_integer("5.0").value == 5);
    CHECK(parse_integer("1E2").value == 100);
    CHECK(parse_integer("").status == NumberStatus::empty);
    CHECK(parse_integer("2147483647").status == NumberStatus::unset);
    CHECK(parse_integer("9223372036854775807").status == NumberStatus::unset);
    CHECK(parse_integer("5.5").status == NumberStatus::invalid);
    CHECK(parse_integer("abc").status == NumberStatus::invalid);
    CHECK(parse_integer("12abc").status == NumberStatus::invalid);
    CHECK(parse_integer("99999999999999999999999").status == NumberStatus::invalid);
}

TEST_CASE("doubles parse leniently and sentinels mean unset", "[ibkr][codec][numbers]") {
    CHECK(parse_double("150.50").value == 150.5);
    CHECK(parse_double("0").value == 0.0);
    CHECK(parse_double("0.0").value == 0.0);
    CHECK(parse_double("-1").value == -1.0);
    CHECK(parse_double("1E-5").value == 1e-5);
    CHECK(parse_double("1.5E+2").value == 150.0);
    CHECK(parse_double("").status == NumberStatus::empty);
    CHECK(parse_double("1.7976931348623157E308").status == NumberStatus::unset);
    CHECK(parse_double("Infinity").status == NumberStatus::unset);
    CHECK(parse_double("-Infinity").status == NumberStatus::unset);
    CHECK(parse_double("NaN").status == NumberStatus::unset);
    CHECK(parse_double("1e999").status == NumberStatus::unset);
    CHECK(parse_double("1e-999").status == NumberStatus::value);
    CHECK(parse_double("1e-999").value == 0.0);
    CHECK(parse_double("1.2.3").status == NumberStatus::invalid);
    CHECK(parse_double("--1").status == NumberStatus::invalid);
}

TEST_CASE("doubles format per style", "[ibkr][codec][numbers]") {
    CHECK(formatted(0.0, DoubleStyle::python) == "0.0");
    CHECK(formatted(550.0, DoubleStyle::python) == "550.0");
    CHECK(formatted(150.5, DoubleStyle::python) == "150.5");
    CHECK(formatted(150.5, DoubleStyle::price) == "150.50");
    CHECK(formatted(4029.0, DoubleStyle::price) == "4029.00");
    CHECK(formatted(3895.25, DoubleStyle::price) == "3895.25");
    CHECK(formatted(0.0001, DoubleStyle::price) == "0.0001");
    CHECK(formatted(100.0, DoubleStyle::shortest) == "100");
    CHECK(formatted(1.5, DoubleStyle::shortest) == "1.5");
    CHECK(formatted(std::numeric_limits<double>::quiet_NaN(), DoubleStyle::price).empty());
    for (const double value : {0.01, 1.0 / 3.0, 12345.678, 1e-7, 9.99e15}) {
        CHECK(parse_double(formatted(value, DoubleStyle::price)).value == value);
        CHECK(parse_double(formatted(value, DoubleStyle::python)).value == value);
    }
}

TEST_CASE("delayed tick types normalise to their live twins", "[ibkr][codec][ticks]") {
    CHECK(tick::normalise(tick::kDelayedBid).live_type == tick::kBid);
    CHECK(tick::normalise(tick::kDelayedBid).delayed);
    CHECK(tick::normalise(tick::kDelayedLastSize).live_type == tick::kLastSize);
    CHECK(tick::normalise(tick::kDelayedOpen).live_type == tick::kOpen);
    CHECK(tick::normalise(tick::kDelayedLastTimestamp).live_type == tick::kLastTimestamp);
    CHECK_FALSE(tick::normalise(tick::kAsk).delayed);
    CHECK(tick::size_tick_for_price_tick(tick::kAsk) == tick::kAskSize);
    CHECK(tick::size_tick_for_price_tick(tick::kDelayedLast) == tick::kDelayedLastSize);
    CHECK(tick::size_tick_for_price_tick(tick::kHigh) == -1);
    CHECK(tick::from_name("delayed_ask") == tick::kDelayedAsk);
    CHECK(tick::name_of(tick::kRtVolume) == "rt_volume");
    CHECK_FALSE(tick::from_name("nope").has_value());
}
