// Trading-hours calendars (common/trading_hours.hpp): weekly sessions in a zone of the
// system's tz database, across daylight-saving changes, overnight sessions and bad input.
#include "common/trading_hours.hpp"

#include <catch2/catch.hpp>
#include <date/date.h>

#include <stdexcept>

using mdp::common::TradingHours;

namespace {

// UTC nanoseconds of a UTC date and time.
std::int64_t utc(int year, unsigned month, unsigned day, int hour, int minute, int second = 0) {
    const auto instant = date::sys_days{date::year{year} / date::month{month} / date::day{day}} +
                         std::chrono::hours(hour) + std::chrono::minutes(minute) + std::chrono::seconds(second);
    return std::chrono::duration_cast<std::chrono::nanoseconds>(instant.time_since_epoch()).count();
}

std::string parse_error(const std::string& text) {
    try {
        (void)TradingHours::parse(text);
    } catch (const std::invalid_argument& error) {
        return error.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("New York hours follow daylight saving time: 09:30 is 14:30 UTC in winter, 13:30 UTC in summer",
          "[trading-hours]") {
    const auto hours = TradingHours::parse("Mon-Fri 09:30-16:00 America/New_York");
    // Friday 6 March 2026, EST (UTC-5).
    CHECK_FALSE(hours.is_open(utc(2026, 3, 6, 14, 29, 59)));
    CHECK(hours.is_open(utc(2026, 3, 6, 14, 30)));
    CHECK(hours.is_open(utc(2026, 3, 6, 20, 59, 59)));
    CHECK_FALSE(hours.is_open(utc(2026, 3, 6, 21, 0)));
    // The weekend, across the change to EDT on Sunday 8 March 02:00.
    CHECK_FALSE(hours.is_open(utc(2026, 3, 7, 15, 0)));
    CHECK_FALSE(hours.is_open(utc(2026, 3, 8, 15, 0)));
    // Monday 9 March 2026, EDT (UTC-4): an hour earlier in UTC.
    CHECK_FALSE(hours.is_open(utc(2026, 3, 9, 13, 29, 59)));
    CHECK(hours.is_open(utc(2026, 3, 9, 13, 30)));
    CHECK(hours.is_open(utc(2026, 3, 9, 19, 59, 59)));
    CHECK_FALSE(hours.is_open(utc(2026, 3, 9, 20, 0)));
    CHECK(hours.session_start(utc(2026, 3, 9, 15, 0)) == utc(2026, 3, 9, 13, 30));
    CHECK(hours.session_start(utc(2026, 3, 6, 15, 0)) == utc(2026, 3, 6, 14, 30));
    CHECK_FALSE(hours.session_start(utc(2026, 3, 9, 20, 0)).has_value());
    // And back to EST on Sunday 1 November 2026.
    CHECK(hours.session_start(utc(2026, 10, 30, 14, 0)) == utc(2026, 10, 30, 13, 30));
    CHECK(hours.session_start(utc(2026, 11, 2, 15, 0)) == utc(2026, 11, 2, 14, 30));
    CHECK_FALSE(hours.is_open(utc(2026, 11, 2, 14, 0)));
}

TEST_CASE("an overnight session runs into the next day and opens when it started", "[trading-hours]") {
    const auto hours = TradingHours::parse("Sun-Thu 17:00-16:00 America/Chicago");
    // Monday 9 March 2026 10:00 CDT (15:00 UTC) belongs to Sunday's session, opened 17:00 CDT.
    CHECK(hours.session_start(utc(2026, 3, 9, 15, 0)) == utc(2026, 3, 8, 22, 0));
    // The daily break 16:00-17:00 CDT.
    CHECK_FALSE(hours.is_open(utc(2026, 3, 9, 21, 30)));
    CHECK(hours.session_start(utc(2026, 3, 9, 22, 0)) == utc(2026, 3, 9, 22, 0));
    // Friday morning is Thursday's session; Friday evening and Saturday are closed.
    CHECK(hours.is_open(utc(2026, 3, 13, 15, 0)));
    CHECK_FALSE(hours.is_open(utc(2026, 3, 13, 23, 0)));
    CHECK_FALSE(hours.is_open(utc(2026, 3, 14, 15, 0)));
}

TEST_CASE("several sessions, day lists and 24:00, and a start in the spring-forward gap opens at the change",
          "[trading-hours]") {
    const auto hours = TradingHours::parse("Mon,Wed 10:00-24:00; Sat 08:00-09:00 Europe/Berlin");
    CHECK(hours.is_open(utc(2026, 1, 5, 22, 59)));  // Monday 23:59 CET
    CHECK_FALSE(hours.is_open(utc(2026, 1, 5, 23, 0)));  // Tuesday 00:00 CET
    CHECK_FALSE(hours.is_open(utc(2026, 1, 6, 12, 0)));  // Tuesday
    CHECK(hours.is_open(utc(2026, 1, 7, 12, 0)));  // Wednesday
    CHECK(hours.is_open(utc(2026, 1, 10, 7, 30)));  // Saturday 08:30 CET
    // 02:30 does not exist in New York on 8 March 2026: the session opens at 03:00 EDT (07:00 UTC).
    const auto gap = TradingHours::parse("Sun 02:30-04:00 America/New_York");
    CHECK(gap.session_start(utc(2026, 3, 8, 7, 10)) == utc(2026, 3, 8, 7, 0));
    CHECK(gap.text() == "Sun 02:30-04:00 America/New_York");
}

TEST_CASE("a malformed calendar says what is wrong", "[trading-hours]") {
    CHECK_THAT(parse_error("Mon-Fri 09:30-16:00 America/Nowhere"),
               Catch::Contains("unknown time zone \"America/Nowhere\"") && Catch::Contains("tz database"));
    CHECK_THAT(parse_error("Mon-Fro 09:30-16:00 UTC"),
               Catch::Contains("unknown day \"Fro\"; expected one of Mon, Tue"));
    CHECK_THAT(parse_error("Mon-Fri 9:30-16:00 UTC"), Catch::Contains("bad time \"9:30\"; expected HH:MM"));
    CHECK_THAT(parse_error("Mon-Fri 09:30-24:01 UTC"), Catch::Contains("bad time \"24:01\""));
    CHECK_THAT(parse_error("Mon-Fri 24:00-16:00 UTC"), Catch::Contains("bad time \"24:00\""));
    CHECK_THAT(parse_error("Mon-Fri UTC"), Catch::Contains("bad session \"Mon-Fri\""));
    CHECK_THAT(parse_error("America/New_York"), Catch::Contains("expected \"<days> <HH:MM>-<HH:MM> <time zone>\""));
    CHECK_THAT(parse_error("Mon-Fri 09:30-16:00; UTC"), Catch::Contains("bad session \"\""));
}
