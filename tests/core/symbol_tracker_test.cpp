// Per-symbol freshness (pipeline/symbol_tracker.hpp, symbol_activity.hpp) on a made-up
// clock: fresh -> stale -> fresh, closed outside trading hours across a DST change, the
// events-per-minute window, the symbol cap, filters and paging.
#include "pipeline/symbol_tracker.hpp"
#include "store_events.hpp"

#include <catch2/catch.hpp>
#include <date/date.h>

using mdp::pipeline::SymbolActivity;
using mdp::pipeline::SymbolTracker;
using mdp::status::SymbolQuery;
using mdp::status::SymbolState;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

std::int64_t utc(int year, unsigned month, unsigned day, int hour, int minute, int second = 0) {
    const auto instant = date::sys_days{date::year{year} / date::month{month} / date::day{day}} +
                         std::chrono::hours(hour) + std::chrono::minutes(minute) + std::chrono::seconds(second);
    return std::chrono::duration_cast<std::chrono::nanoseconds>(instant.time_since_epoch()).count();
}

void seen(SymbolTracker& tracker, std::uint32_t provider_id, const char* symbol, std::int64_t at_ns,
          double price = 10.0) {
    const auto record = mdp::test::store_trade(provider_id, symbol, price);
    tracker.record(std::span(&record, 1), at_ns);
}

mdp::config::FreshnessConfig rules(std::int64_t stale_after_seconds, const std::string& hours = "") {
    mdp::config::FreshnessConfig config;
    config.stale_after_seconds = stale_after_seconds;
    if (!hours.empty()) {
        config.trading_hours = mdp::common::TradingHours::parse(hours);
    }
    return config;
}

SymbolState state_of(const SymbolTracker& tracker, const std::string& symbol, std::int64_t now_ns) {
    SymbolQuery query;
    query.search = symbol;
    const auto page = tracker.query(query, now_ns);
    REQUIRE(page.rows.size() == 1);
    return page.rows[0].state;
}

}  // namespace

TEST_CASE("a symbol is fresh until stale_after_seconds pass without an event, and fresh again with the next",
          "[freshness]") {
    SymbolTracker tracker;
    tracker.configure(0, "feed", rules(60));
    const std::int64_t start = utc(2026, 3, 9, 15, 0);
    seen(tracker, 0, "AAPL", start);
    CHECK(state_of(tracker, "AAPL", start + 60 * kSecond) == SymbolState::fresh);
    CHECK(state_of(tracker, "AAPL", start + 60 * kSecond + 1) == SymbolState::stale);
    const auto counts = tracker.counts(start + 61 * kSecond);
    REQUIRE(counts.size() == 1);
    CHECK(counts[0].provider == "feed");
    CHECK((counts[0].fresh == 0 && counts[0].stale == 1 && counts[0].closed == 0));
    seen(tracker, 0, "AAPL", start + 90 * kSecond);
    CHECK(state_of(tracker, "AAPL", start + 90 * kSecond) == SymbolState::fresh);
    CHECK(tracker.counts(start + 100 * kSecond)[0].fresh == 1);
}

TEST_CASE("outside trading hours a silent symbol is closed, not stale, across the New York DST change", "[freshness]") {
    SymbolTracker tracker;
    tracker.configure(0, "us", rules(60, "Mon-Fri 09:30-16:00 America/New_York"));
    // Last trade Friday 6 March 2026 15:59 EST.
    seen(tracker, 0, "MSFT", utc(2026, 3, 6, 20, 59));
    CHECK(state_of(tracker, "MSFT", utc(2026, 3, 6, 20, 59, 30)) == SymbolState::fresh);
    CHECK(state_of(tracker, "MSFT", utc(2026, 3, 6, 21, 0, 30)) == SymbolState::closed);
    CHECK(state_of(tracker, "MSFT", utc(2026, 3, 7, 15, 0)) == SymbolState::closed);
    // Monday 9 March is EDT: 13:29 UTC is 09:29, closed.
    CHECK(state_of(tracker, "MSFT", utc(2026, 3, 9, 13, 29)) == SymbolState::closed);
    // The market opened at 13:30 UTC: the weekend's silence does not count, the threshold does.
    CHECK(state_of(tracker, "MSFT", utc(2026, 3, 9, 13, 30, 30)) == SymbolState::fresh);
    CHECK(state_of(tracker, "MSFT", utc(2026, 3, 9, 13, 31, 1)) == SymbolState::stale);
    // 19:59 UTC is 15:59 EDT (open); 20:30 UTC is 16:30 EDT (closed). Without DST both would differ.
    CHECK(state_of(tracker, "MSFT", utc(2026, 3, 9, 19, 59)) == SymbolState::stale);
    CHECK(state_of(tracker, "MSFT", utc(2026, 3, 9, 20, 30)) == SymbolState::closed);
    const auto counts = tracker.counts(utc(2026, 3, 9, 20, 30));
    CHECK((counts[0].closed == 1 && counts[0].stale == 0 && !counts[0].market_open));
}

TEST_CASE("events in the last minute are counted in 10-second steps", "[freshness]") {
    SymbolActivity activity;
    const std::int64_t base = std::int64_t{1'000'000} * 60 * kSecond;  // a whole minute, so steps line up
    for (int index = 0; index < 5; ++index) {
        activity.record(MDP_EVENT_TRADE, 1.0, base + 100 * kSecond);
    }
    for (int index = 0; index < 3; ++index) {
        activity.record(MDP_EVENT_QUOTE, 1.0, base + 125 * kSecond);
    }
    CHECK(activity.events_in_last_minute(base + 125 * kSecond) == 8);
    CHECK(activity.events_in_last_minute(base + 159 * kSecond) == 8);  // 100 s is in step 10, still in the window
    CHECK(activity.events_in_last_minute(base + 160 * kSecond) == 3);  // step 10 left the window
    CHECK(activity.events_in_last_minute(base + 180 * kSecond) == 0);
    // A gap longer than the window clears every step before counting again.
    activity.record(MDP_EVENT_BAR, 2.0, base + 1000 * kSecond);
    CHECK(activity.events_in_last_minute(base + 1000 * kSecond) == 1);
    CHECK(activity.last_seen_ns(mdp::common::EventType::trade) == base + 100 * kSecond);
    CHECK(activity.last_seen_ns(mdp::common::EventType::quote) == base + 125 * kSecond);
    CHECK(activity.last_seen_ns() == base + 1000 * kSecond);
    CHECK(activity.last_price() == 2.0);
    // An event from before the window (the clock stepped back) changes no count.
    activity.record(MDP_EVENT_TRADE, 3.0, base + 900 * kSecond);
    CHECK(activity.events_in_last_minute(base + 1000 * kSecond) == 1);
}

TEST_CASE("symbols beyond max_symbols are counted as untracked events, not stored", "[freshness]") {
    SymbolTracker tracker;
    auto capped = rules(60);
    capped.max_symbols = 2;
    tracker.configure(0, "feed", capped);
    const std::int64_t now = utc(2026, 3, 9, 15, 0);
    for (const char* symbol : {"A", "B", "C", "A", "D"}) {
        seen(tracker, 0, symbol, now);
    }
    const auto counts = tracker.counts(now);
    CHECK(counts[0].fresh == 2);
    CHECK(counts[0].untracked_events == 2);
}

TEST_CASE("queries filter by provider, state and search, and page in provider then symbol order", "[freshness]") {
    SymbolTracker tracker;
    tracker.configure(0, "alpha", rules(60));
    tracker.configure(1, "beta", rules(60));
    tracker.configure(2, "quiet", [] {
        mdp::config::FreshnessConfig off;
        off.enabled = false;
        return off;
    }());
    const std::int64_t now = utc(2026, 3, 9, 15, 0);
    for (const char* symbol : {"MSFT", "AAPL", "IBM"}) {
        seen(tracker, 0, symbol, now - 120 * kSecond);
    }
    seen(tracker, 0, "AAPL", now);
    seen(tracker, 1, "ESZ6", now, 4500.25);
    seen(tracker, 2, "NOPE", now);
    SymbolQuery everything;
    const auto all = tracker.query(everything, now);
    REQUIRE(all.total == 4);
    CHECK(all.providers.size() == 2);  // "quiet" has freshness disabled
    CHECK(all.rows[0].symbol == "AAPL");
    CHECK(all.rows[1].symbol == "IBM");
    CHECK(all.rows[2].symbol == "MSFT");
    CHECK((all.rows[3].provider == "beta" && all.rows[3].symbol == "ESZ6" && all.rows[3].last_price == 4500.25));
    CHECK(all.rows[0].events_last_minute == 1);
    SymbolQuery stale;
    stale.state = SymbolState::stale;
    stale.provider = "alpha";
    const auto stale_page = tracker.query(stale, now);
    CHECK(stale_page.total == 2);
    CHECK(stale_page.rows[0].symbol == "IBM");
    SymbolQuery paged;
    paged.offset = 1;
    paged.limit = 2;
    const auto page = tracker.query(paged, now);
    CHECK(page.total == 4);
    REQUIRE(page.rows.size() == 2);
    CHECK((page.rows[0].symbol == "IBM" && page.rows[1].symbol == "MSFT"));
    paged.offset = 10;
    CHECK(tracker.query(paged, now).rows.empty());
    SymbolQuery search;
    search.search = "sz";
    const auto found = tracker.query(search, now);
    REQUIRE(found.total == 1);
    CHECK(found.rows[0].symbol == "ESZ6");
    SymbolQuery unknown;
    unknown.provider = "gamma";
    CHECK_FALSE(tracker.query(unknown, now).provider_known);
}

TEST_CASE("reconfiguring keeps what is known of the symbols, disabling and removing forget", "[freshness]") {
    SymbolTracker tracker;
    tracker.configure(0, "feed", rules(60));
    const std::int64_t now = utc(2026, 3, 9, 15, 0);
    seen(tracker, 0, "AAPL", now - 30 * kSecond);
    CHECK(tracker.counts(now)[0].fresh == 1);
    tracker.configure(0, "feed", rules(10));
    CHECK(tracker.counts(now)[0].stale == 1);
    tracker.remove(0);
    CHECK(tracker.counts(now).empty());
    seen(tracker, 0, "AAPL", now);  // an event of an untracked provider is ignored
    CHECK(tracker.counts(now).empty());
}

TEST_CASE("a backfilled event counts as seen but does not replace the last price", "[freshness]") {
    SymbolTracker tracker;
    tracker.configure(0, "ibkr", rules(60));
    const std::int64_t now = utc(2026, 12, 3, 15, 0);
    seen(tracker, 0, "AAPL", now - 10 * kSecond, 150.0);
    auto history = mdp::test::store_trade(0, "AAPL", 140.0);
    history.event.flags = MDP_EVENT_FLAG_BACKFILLED;
    tracker.record(std::span(&history, 1), now);
    SymbolQuery query;
    const auto page = tracker.query(query, now);
    REQUIRE(page.rows.size() == 1);
    CHECK(page.rows[0].last_price == 150.0);
    CHECK(page.rows[0].events_last_minute == 2);
}
