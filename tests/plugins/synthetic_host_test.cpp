// The synthetic plugin inside the real mdp-host: what it publishes is what gets stored.
#include "host_harness.hpp"
#include "sqlite_reader.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace mdp::test;
using nlohmann::json;

namespace {

void require_clean_exit(const HostRun& run) {
    INFO(run.output);
    REQUIRE(run.became_ready);
    REQUIRE(run.exit_code == 0);
    REQUIRE(run.summary.is_object());
}

}  // namespace

TEST_CASE("synthetic in mdp-host: with max_events the SQLite rows equal what was published",
          "[plugins][synthetic][host]") {
    TempDir dir("mdp-synthetic");
    auto config = base_host_config(dir);
    // 5000 events at 2 x 1000 ev/s take at least 2.5 s, so 1 s bars close in between.
    config["providers"].push_back(provider_entry("synth", "synthetic",
                                                 {{"symbols", {"AAA", "BBB"}},
                                                  {"rate_per_symbol", 1000},
                                                  {"max_events", 5000},
                                                  {"seed", 42},
                                                  {"bar_intervals_seconds", {1}},
                                                  {"batch_size", 128}}));
    const auto run = run_host_until_output(write_host_config(dir, config), "finished: 5000 events");
    require_clean_exit(run);
    INFO(run.summary.dump(2));

    const std::int64_t quotes = summary_count(run.summary, "synth", "quote");
    const std::int64_t trades = summary_count(run.summary, "synth", "trade");
    const std::int64_t bars = summary_count(run.summary, "synth", "bar");
    CHECK(summary_count(run.summary, "synth") == 5000);
    CHECK(quotes + trades + bars == 5000);
    CHECK(bars > 0);
    CHECK(trades > bars);
    CHECK(run.summary["providers"]["synth"]["dropped"] == 0);
    CHECK(run.summary["sinks"]["main"]["stored"] == 5000);
    CHECK(run.summary["sinks"]["main"]["errors"] == 0);
    CHECK(run.summary["not_stored"] == 0);

    const auto database = dir / "mdp.sqlite";
    CHECK(count_rows(database, "quotes", "synth") == quotes);
    CHECK(count_rows(database, "trades", "synth") == trades);
    CHECK(count_rows(database, "bars", "synth") == bars);
    CHECK(distinct_symbols(database, "trades", "synth") == std::vector<std::string>{"AAA", "BBB"});
}

TEST_CASE("synthetic in mdp-host: two instances run side by side with their own counts", "[plugins][synthetic][host]") {
    TempDir dir("mdp-synthetic-pair");
    auto config = base_host_config(dir);
    config["providers"].push_back(provider_entry(
        "alpha", "synthetic", {{"symbols", {"AAA"}}, {"rate_per_symbol", 0}, {"max_events", 3000}, {"seed", 1}}));
    config["providers"].push_back(provider_entry(
        "beta", "synthetic",
        {{"symbols", {"BBB", "CCC"}}, {"rate_per_symbol", 0}, {"max_events", 7000}, {"seed", 2}, {"threads", 2}}));
    const auto run = run_host_until(write_host_config(dir, config), [](const std::string& output) {
        return output.find("finished: 3000 events") != std::string::npos &&
               output.find("finished: 7000 events") != std::string::npos;
    });
    require_clean_exit(run);
    INFO(run.summary.dump(2));
    CHECK(summary_count(run.summary, "alpha") == 3000);
    CHECK(summary_count(run.summary, "beta") == 7000);
    CHECK(run.summary["sinks"]["main"]["stored"] == 10000);

    const auto database = dir / "mdp.sqlite";
    const auto stored = [&](const std::string& provider) {
        return count_rows(database, "quotes", provider) + count_rows(database, "trades", provider) +
               count_rows(database, "bars", provider);
    };
    CHECK(stored("alpha") == 3000);
    CHECK(stored("beta") == 7000);
    CHECK(distinct_symbols(database, "quotes", "alpha") == std::vector<std::string>{"AAA"});
    // beta's two workers share its budget; how it splits between them (and so between BBB
    // and CCC) depends on scheduling, but nothing of alpha's may appear under beta.
    for (const auto& symbol : distinct_symbols(database, "quotes", "beta")) {
        CHECK((symbol == "BBB" || symbol == "CCC"));
    }
}

TEST_CASE("synthetic in mdp-host: a configured OK scale of 0 keeps it paused from the start",
          "[plugins][synthetic][host][backpressure]") {
    TempDir dir("mdp-synthetic-paused");
    auto config = base_host_config(dir);
    // Scale 0 at every level: the host must tell the provider 0 before it publishes at all.
    config["backpressure"] = {{"scale", {{"ok", 0.0}, {"soft", 0.0}, {"hard", 0.0}}}};
    config["providers"].push_back(
        provider_entry("paused", "synthetic", {{"symbols", {"AAA"}}, {"rate_per_symbol", 1000}, {"seed", 3}}));
    const auto run =
        run_host_until_output(write_host_config(dir, config), "paused by backpressure", std::chrono::seconds(20));
    require_clean_exit(run);
    INFO(run.summary.dump(2));
    CHECK(summary_count(run.summary, "paused") == 0);
    CHECK(run.summary["sinks"]["main"]["stored"] == 0);
}

TEST_CASE("synthetic in mdp-host: HARD backpressure pauses it and nothing is published while paused",
          "[plugins][synthetic][host][backpressure]") {
    TempDir dir("mdp-synthetic-hard");
    auto config = base_host_config(dir);
    // High watermark at 1 event: every publish makes the queue HARD and pauses the provider;
    // the coordinator then writes at once, the empty queue is OK again and the provider
    // resumes. Each pause and each resume logs how many events were published so far: a
    // provider ignoring the pause would publish in between.
    config["store"]["queue_capacity"] = 100;
    config["store"]["batch_size"] = 100;
    config["backpressure"] = {{"low_watermark_pct", 0.0},
                              {"high_watermark_pct", 0.01},
                              {"scale", {{"ok", 1.0}, {"soft", 0.0}, {"hard", 0.0}}}};
    config["providers"].push_back(provider_entry(
        "hard", "synthetic", {{"symbols", {"AAA"}}, {"rate_per_symbol", 1000}, {"seed", 4}, {"batch_size", 10}}));
    const std::string pause_line = "synthetic 'hard': paused by backpressure";
    const auto run = run_host_until(write_host_config(dir, config), [&](const std::string& output) {
        if (output.find(pause_line) == std::string::npos) {
            return false;
        }
        // A window in which a provider ignoring the pause would keep publishing (1000 ev/s).
        std::this_thread::sleep_for(std::chrono::seconds(1));
        return true;
    });
    require_clean_exit(run);
    INFO(run.summary.dump(2));
    // "...; <N> events published so far"
    const auto published_so_far = [](const std::string& line) {
        const std::string marker = " events published so far";
        const std::size_t end = line.find(marker);
        const std::size_t start = line.rfind(' ', end - 1) + 1;
        return std::stoll(line.substr(start, end - start));
    };
    const auto pauses = lines_containing(run.output, {pause_line, "events published so far"});
    const auto resumes = lines_containing(run.output, {"synthetic 'hard': resumed:", "events published so far"});
    REQUIRE(!pauses.empty());
    REQUIRE((resumes.size() == pauses.size() || resumes.size() + 1 == pauses.size()));
    for (std::size_t index = 0; index < resumes.size(); ++index) {
        INFO("pause " << index << ": " << pauses[index] << "\nresume: " << resumes[index]);
        CHECK(published_so_far(resumes[index]) == published_so_far(pauses[index]));
    }
    CHECK(published_so_far(pauses.front()) > 0);
    const std::int64_t published = summary_count(run.summary, "hard");
    CHECK(run.summary["sinks"]["main"]["stored"] == published);
    const auto database = dir / "mdp.sqlite";
    CHECK(count_rows(database, "quotes", "hard") + count_rows(database, "trades", "hard") +
              count_rows(database, "bars", "hard") ==
          published);
}

TEST_CASE("synthetic in mdp-host: --check-config rejects a bad provider config naming file and key",
          "[plugins][synthetic][host][config]") {
    TempDir dir("mdp-synthetic-check");
    auto config = base_host_config(dir);
    config["providers"].push_back(provider_entry("ok", "synthetic", {{"symbols", {"AAA"}}}));
    config["providers"].push_back(provider_entry("bad", "synthetic", {{"symbols", {"AAA"}}, {"rate_per_symbol", "x"}}));
    const auto path = write_host_config(dir, config, "bad.json");
    const auto result = run_to_completion(MDP_HOST_BINARY, {"--check-config", "--config", path.string()});
    INFO(result.output);
    CHECK(result.exit_code == 2);
    CHECK(result.output.find("bad.json") != std::string::npos);
    CHECK(
        result.output.find(
            R"(providers[1].config.rate_per_symbol: expected a number of events per second >= 0 (0 = unthrottled), found "x")") !=
        std::string::npos);

    config["providers"].erase(1);
    const auto good = write_host_config(dir, config, "good.json");
    const auto accepted = run_to_completion(MDP_HOST_BINARY, {"--check-config", "--config", good.string()});
    INFO(accepted.output);
    CHECK(accepted.exit_code == 0);
}

TEST_CASE("three ingest hosts sharding one synthetic config generate every symbol exactly once",
          "[plugins][synthetic][host][shard]") {
    const std::vector<std::string> symbols = {"AAPL", "MSFT", "SPY", "QQQ", "EUR.USD", "ES", "NQ", "GC", "CL", "IBM"};
    std::multiset<std::string> generated;
    for (int index = 0; index < 3; ++index) {
        TempDir dir("mdp-shard");
        auto config = base_host_config(dir);
        config["shard"] = {{"index", index}, {"count", 3}};
        config["providers"].push_back(provider_entry("synth", "synthetic",
                                                     {{"symbols", symbols},
                                                      {"rate_per_symbol", 0},
                                                      {"max_events", 2000},
                                                      {"seed", 42},
                                                      {"bar_intervals_seconds", json::array()}}));
        const auto run = run_host_until_output(write_host_config(dir, config), "finished: 2000 events");
        require_clean_exit(run);
        CHECK_THAT(run.output, Catch::Contains("(shard " + std::to_string(index) + " of 3)"));
        const auto quotes = distinct_symbols(dir / "mdp.sqlite", "quotes", "synth");
        const auto trades = distinct_symbols(dir / "mdp.sqlite", "trades", "synth");
        std::set<std::string> mine(quotes.begin(), quotes.end());
        mine.insert(trades.begin(), trades.end());
        CHECK(mine.size() < symbols.size());  // a part, not all
        generated.insert(mine.begin(), mine.end());
    }
    CHECK(generated == std::multiset<std::string>(symbols.begin(), symbols.end()));
}
