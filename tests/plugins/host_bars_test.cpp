// The host's bar operator in the real mdp-host: the synthetic provider's trades in, bars from
// the host (not the plugin, whose own bars are off) out into SQLite, each one checked against
// the stored trades of its interval.
#include "host_harness.hpp"
#include "sqlite_reader.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace mdp::test;
using nlohmann::json;

namespace {

constexpr std::int64_t kSecondNs = 1'000'000'000;
constexpr std::int64_t kHourNs = 3600 * kSecondNs;

// The trades of bar `b`'s symbol and interval, as an SQL subquery over `what`.
std::string of_bar_trades(const std::string& what, const std::string& order = "") {
    return "(SELECT " + what +
           " FROM trades t WHERE t.provider = b.provider AND t.symbol = b.symbol AND t.event_time_ns >= b.ts AND "
           "t.event_time_ns < b.ts + b.interval_ns" +
           order + ")";
}

// Bars of `interval_ns` that differ from what their trades say (0 when every bar is exact).
std::int64_t inexact_bars(SqliteReader& database, std::int64_t interval_ns) {
    const std::string sql =
        "SELECT COUNT(*) FROM bars b WHERE b.provider = 'synth' AND b.interval_ns = ?1 AND ("
        "b.trade_count != " +
        of_bar_trades("COUNT(*)") + " OR b.high != " + of_bar_trades("MAX(price)") +
        " OR b.low != " + of_bar_trades("MIN(price)") +
        " OR b.open != " + of_bar_trades("price", " ORDER BY t.seq LIMIT 1") +
        " OR b.close != " + of_bar_trades("price", " ORDER BY t.seq DESC LIMIT 1") + " OR ABS(b.volume - " +
        of_bar_trades("SUM(size)") + ") > 1e-9 * b.volume OR ABS(b.vwap - " +
        of_bar_trades("SUM(price * size) / SUM(size)") + ") > 1e-9 * b.vwap OR b.ts % b.interval_ns != 0)";
    return database.scalar(sql, {std::to_string(interval_ns)});
}

std::int64_t trades_in_bars(SqliteReader& database, std::int64_t interval_ns) {
    return database.scalar(
        "SELECT COALESCE(SUM(trade_count), 0) FROM bars WHERE provider = 'synth' AND interval_ns = ?1",
        {std::to_string(interval_ns)});
}

}  // namespace

TEST_CASE("mdp-host builds exact bars from synthetic trades: closed on time without ticks, flushed at shutdown",
          "[plugins][synthetic][host][bars]") {
    TempDir dir("mdp-host-bars");
    auto config = base_host_config(dir);
    json provider = provider_entry("synth", "synthetic",
                                   {{"symbols", {"AAA", "BBB"}},
                                    {"rate_per_symbol", 1000},
                                    {"max_events", 4000},
                                    {"seed", 11},
                                    {"bar_intervals_seconds", json::array()}});
    // A generous grace: a publish delayed on a loaded machine must not make a tick late here.
    provider["bars"] = {{"intervals", {"1s", "1h"}}, {"from", "trades"}, {"grace_ms", 3000}};
    config["providers"].push_back(provider);
    const auto database_path = dir / "mdp.sqlite";

    // Once the provider is idle, no tick comes to close the last 1 s bars: the timer must.
    const auto every_second_bar_closed = [&](const std::string& output) {
        if (output.find("finished: 4000 events") == std::string::npos) {
            return false;
        }
        SqliteReader database(database_path);
        const std::int64_t trades = database.scalar("SELECT COUNT(*) FROM trades WHERE provider = 'synth'");
        return trades > 0 && trades_in_bars(database, kSecondNs) == trades;
    };
    const auto run = run_host_until(write_host_config(dir, config), every_second_bar_closed);
    INFO(run.output);
    REQUIRE(run.became_ready);
    REQUIRE(run.exit_code == 0);
    REQUIRE(run.summary.is_object());

    SqliteReader database(database_path);
    const std::int64_t trades = count_rows(database_path, "trades", "synth");
    REQUIRE(trades > 0);
    // The 1 h bars were still open at SIGINT (or, across a full hour, closed by then): the
    // shutdown queued them, so every trade is in exactly one bar of each interval.
    CHECK(trades_in_bars(database, kSecondNs) == trades);
    CHECK(trades_in_bars(database, kHourNs) == trades);
    CHECK(inexact_bars(database, kSecondNs) == 0);
    CHECK(inexact_bars(database, kHourNs) == 0);
    CHECK(database.scalar("SELECT COUNT(*) FROM bars WHERE provider = 'synth' AND NOT (low <= open AND open <= high "
                          "AND low <= close AND close <= high AND volume > 0 AND low <= vwap AND vwap <= high)") == 0);
    CHECK(database.scalar("SELECT COUNT(*) FROM bars WHERE interval_ns NOT IN (?1, ?2)",
                          {std::to_string(kSecondNs), std::to_string(kHourNs)}) == 0);
    CHECK(distinct_symbols(database_path, "bars", "synth") == std::vector<std::string>{"AAA", "BBB"});

    // The bars are the provider's events: counted as published, stored once each, and numbered
    // in its sequence without colliding with its quotes and trades.
    const std::int64_t bars = count_rows(database_path, "bars", "synth");
    CHECK(summary_count(run.summary, "synth", "bar") == bars);
    CHECK(run.summary["sinks"]["main"]["stored"] == summary_count(run.summary, "synth"));
    CHECK(database.scalar("SELECT COUNT(*) FROM (SELECT seq FROM bars WHERE provider = 'synth' UNION ALL "
                          "SELECT seq FROM trades WHERE provider = 'synth' UNION ALL "
                          "SELECT seq FROM quotes WHERE provider = 'synth')") ==
          database.scalar("SELECT COUNT(DISTINCT seq) FROM (SELECT seq FROM bars WHERE provider = 'synth' UNION ALL "
                          "SELECT seq FROM trades WHERE provider = 'synth' UNION ALL "
                          "SELECT seq FROM quotes WHERE provider = 'synth')"));
}
