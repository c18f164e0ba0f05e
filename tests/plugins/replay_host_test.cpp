// The replay plugin inside the real mdp-host: a CSV and a JSONL capture (written by the
// jsonl sink) round-trip into SQLite exactly, and --check-config resolves a relative
// recording path against the config file, from any working directory.
#include "host_harness.hpp"
#include "sqlite_reader.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace mdp::test;

namespace {

constexpr int kRows = 1000;
const std::vector<std::string> kSymbols = {"AAA", "BBB", "CCC"};

// 1000 trades over three symbols, 1 ms apart; prices in quarters and whole sizes, so every
// value is exact in binary and in SQL.
void write_trades_csv(const std::filesystem::path& file) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream csv(file);
    csv << "type,symbol,event_time_ns,price,size,exchange,conditions\n";
    for (int row = 0; row < kRows; ++row) {
        csv << "trade," << kSymbols[row % 3] << "," << 1'700'000'000'000'000'000 + std::int64_t{row} * 1'000'000 << ","
            << 100 + row * 0.25 << "," << (row % 7) + 1 << ",X" << row % 2 << ",\n";
    }
}

void require_clean_exit(const HostRun& run) {
    INFO(run.output);
    REQUIRE(run.became_ready);
    REQUIRE(run.exit_code == 0);
    REQUIRE(run.summary.is_object());
}

// Rows of `table` in `database` that are not in the same table of `other` (both directions
// of an exact comparison, NULLs equal), over the columns that come from the recording.
std::int64_t rows_missing_from(const std::filesystem::path& database, const std::filesystem::path& other,
                               const std::string& table, const std::string& columns) {
    SqliteReader reader(database);
    reader.rows("ATTACH DATABASE ?1 AS other", {other.string()});
    return reader.scalar("SELECT COUNT(*) FROM (SELECT " + columns + " FROM main." + table + " EXCEPT SELECT " +
                         columns + " FROM other." + table + ")");
}

}  // namespace

TEST_CASE("replay in mdp-host: a CSV of 1000 trades lands in SQLite exactly", "[plugins][replay][host]") {
    TempDir dir("mdp-replay-csv-host");
    write_trades_csv(dir / "data" / "trades.csv");
    auto config = base_host_config(dir);
    config["providers"].push_back(provider_entry("replay", "replay", {{"file", "data/trades.csv"}, {"speed", 0}}));
    const auto run = run_host_until_output(write_host_config(dir, config), "finished: 1000 of 1000 events");
    require_clean_exit(run);
    CHECK(summary_count(run.summary, "replay", "trade") == kRows);
    CHECK(run.summary["providers"]["replay"]["dropped"] == 0);
    CHECK(run.summary["sinks"]["main"]["stored"] == kRows);

    SqliteReader reader(dir / "mdp.sqlite");
    const auto rows = reader.rows(
        "SELECT symbol, event_time_ns, CAST(price * 4 AS INTEGER), CAST(size AS INTEGER), exchange "
        "FROM trades WHERE provider = 'replay' ORDER BY event_time_ns");
    REQUIRE(rows.size() == static_cast<std::size_t>(kRows));
    for (int row = 0; row < kRows; ++row) {
        INFO("row " << row);
        CHECK(rows[row] == std::vector<std::string>{kSymbols[row % 3],
                                                    std::to_string(1'700'000'000'000'000'000 + row * 1'000'000LL),
                                                    std::to_string(400 + row), std::to_string((row % 7) + 1),
                                                    "X" + std::to_string(row % 2)});
    }
    for (const auto& symbol : kSymbols) {
        CHECK(reader.scalar("SELECT COUNT(*) FROM trades WHERE symbol = ?1", {symbol}) ==
              (symbol == "AAA" ? 334 : 333));
    }
}

TEST_CASE("replay in mdp-host: a jsonl sink capture replays into the same rows", "[plugins][replay][host]") {
    TempDir dir("mdp-replay-jsonl-host");
    // 1. Record: synthetic quotes, trades and bars into SQLite and a JSONL capture.
    auto record = base_host_config(dir);
    record["store"]["sinks"][0]["path"] = (dir / "recorded.sqlite").string();
    record["store"]["sinks"].push_back({{"type", "jsonl"}, {"name", "capture"}, {"path", "capture.jsonl"}});
    record["providers"].push_back(provider_entry("synth", "synthetic",
                                                 {{"symbols", kSymbols},
                                                  {"rate_per_symbol", 0},
                                                  {"max_events", 3000},
                                                  {"seed", 7},
                                                  {"bar_intervals_seconds", {1}}}));
    require_clean_exit(run_host_until_output(write_host_config(dir, record, "record.json"), "finished: 3000 events"));

    // 2. Replay the capture as fast as possible into another database.
    auto replay = base_host_config(dir);
    replay["store"]["sinks"][0]["path"] = (dir / "replayed.sqlite").string();
    replay["providers"].push_back(provider_entry("synth", "replay", {{"file", "capture.jsonl"}, {"speed", 0}}));
    const auto run =
        run_host_until_output(write_host_config(dir, replay, "replay.json"), "finished: 3000 of 3000 events");
    require_clean_exit(run);
    CHECK(summary_count(run.summary, "synth") == 3000);

    const std::string common = "provider, symbol, delayed, snapshot, ";
    const std::map<std::string, std::string> tables = {
        {"quotes", common + "event_time_ns, bid, ask, bid_size, ask_size, last"},
        {"trades", common + "event_time_ns, price, size, exchange, conditions"},
        {"bars", common + "ts, interval_ns, open, high, low, close, volume, vwap, trade_count"}};
    std::int64_t total = 0;
    for (const auto& [table, columns] : tables) {
        INFO(table);
        const std::int64_t recorded = count_rows(dir / "recorded.sqlite", table, "synth");
        CHECK(count_rows(dir / "replayed.sqlite", table, "synth") == recorded);
        CHECK(rows_missing_from(dir / "recorded.sqlite", dir / "replayed.sqlite", table, columns) == 0);
        CHECK(rows_missing_from(dir / "replayed.sqlite", dir / "recorded.sqlite", table, columns) == 0);
        total += recorded;
    }
    CHECK(total == 3000);
}

TEST_CASE("replay in mdp-host: --check-config from another directory resolves relative paths against the config",
          "[plugins][replay][host][check-config]") {
    TempDir dir("mdp-replay-check");
    const auto config_dir = dir / "conf";
    write_trades_csv(config_dir / "data" / "trades.csv");
    auto config = base_host_config(dir);
    config["plugin_path"] = {std::filesystem::relative(MDP_PLUGIN_DIR, config_dir).string()};
    config["providers"].push_back(provider_entry("replay", "replay", {{"file", "data/trades.csv"}}));
    std::ofstream(config_dir / "replay.json") << config.dump(2);

    // From the temp dir's parent, naming the config by a relative path too.
    const auto check = [&](const std::string& config_name) {
        const std::string command = "cd '" + dir.path().parent_path().string() + "' && exec '" + MDP_HOST_BINARY +
                                    "' --check-config --config '" + dir.path().filename().string() + "/conf/" +
                                    config_name + "'";
        return run_to_completion("/bin/sh", {"-c", command});
    };
    const auto good = check("replay.json");
    INFO(good.output);
    CHECK(good.exit_code == 0);

    // A malformed row: one error, on stderr, naming the config path, the file and the line.
    std::ofstream(config_dir / "data" / "bad.csv") << "type,symbol,event_time_ns,price\ntrade,AAA,1,1\ntrade,AAA,x,1\n";
    config["providers"][0]["config"]["file"] = "data/bad.csv";
    std::ofstream(config_dir / "bad.json") << config.dump(2);
    const auto bad = check("bad.json");
    INFO(bad.output);
    CHECK(bad.exit_code == 2);
    const auto errors = lines_containing(bad.output, {"providers[0].config.file: "});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find((config_dir / "data" / "bad.csv").string() +
                         R"(:3: event_time_ns: expected an integer, found "x")") != std::string::npos);
}
