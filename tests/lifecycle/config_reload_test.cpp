// Live reconfiguration against the real mdp-host: POST /api/v1/reload and SIGHUP re-read the
// config file; providers are added, removed and reconfigured under load without losing an
// event; an invalid reload (bad JSON, a bad plugin key, a setting that cannot change live, a
// sink change) changes nothing and says why; a plugin file replaced on disk is loaded anew.

#include "exposition_parser.hpp"
#include "lifecycle_host.hpp"
#include "sqlite_reader.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>

using mdp::test::eventually;
using mdp::test::LifecycleHost;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

json synthetic_entry(const std::string& name, double rate_per_symbol) {
    return {{"name", name},
            {"plugin", "synthetic"},
            {"config", {{"symbols", {"AAA", "BBB"}}, {"rate_per_symbol", rate_per_symbol}, {"seed", 7}}}};
}

std::uint64_t published(const LifecycleHost& host, const std::string& provider) {
    return host.provider(provider).at("published_total").get<std::uint64_t>();
}

// The change report entry of `provider` in a reload answer.
json change_of(const json& answer, const std::string& provider) {
    for (const auto& entry : answer.at("providers")) {
        if (entry.at("provider") == provider) {
            return entry;
        }
    }
    return json::object();
}

json reload(const LifecycleHost& host, int expected_status) {
    const auto answer = host.post("/api/v1/reload");
    INFO(answer.body);
    CHECK(answer.status == expected_status);
    return json::parse(answer.body);
}

// The series of `provider` in a GET /api/v1/history answer (null when absent).
json history_series(const json& history, const std::string& provider) {
    for (const auto& series : history.at("providers")) {
        if (series.at("name") == provider) {
            return series;
        }
    }
    return nullptr;
}

std::vector<std::string> provider_names(const json& status) {
    std::vector<std::string> names;
    for (const auto& provider : status.at("providers")) {
        names.push_back(provider.at("name"));
    }
    return names;
}

}  // namespace

TEST_CASE("a reload under load adds, removes and reconfigures synthetic instances without losing an event",
          "[lifecycle][reload]") {
    LifecycleHost host([](json& config) {
        config["providers"] = json::array({synthetic_entry("kept", 500), synthetic_entry("removed", 500)});
    });
    INFO(host.output());
    REQUIRE(eventually([&] { return published(host, "kept") > 1000 && published(host, "removed") > 1000; }, 60s));

    json next = host.config();
    next["providers"] = json::array({synthetic_entry("kept", 250), synthetic_entry("added", 500)});
    next["providers"][0]["config"]["symbols"] = {"AAA", "BBB", "CCC"};
    host.rewrite_config(next);
    const json answer = reload(host, 200);
    CHECK(answer.at("generation") == 2);
    CHECK(change_of(answer, "kept").at("result") == "reconfigured in place");
    CHECK(change_of(answer, "removed").at("result") == "stopped and removed");
    CHECK(change_of(answer, "added").at("result") == "added and started");

    const json status = host.status();
    CHECK(provider_names(status) == std::vector<std::string>{"kept", "added"});
    CHECK(status.at("config").at("generation") == 2);
    CHECK(status.at("config").at("last_reload_result") == "success");
    CHECK(host.provider("kept").at("restarts") == 0);  // in place: no restart
    REQUIRE(eventually([&] { return published(host, "added") > 1000; }, 60s));
    // The status page's history follows the reload: "added" joins with rates; "removed" has
    // none after its removal (and is gone at once if it never had one).
    json history;
    REQUIRE(eventually(
        [&] {
            history = json::parse(mdp::test::http_get(host.port(), "/api/v1/history").body);
            const json added = history_series(history, "added");
            return added.is_object() && !added.at("events_per_second").back().is_null();
        },
        60s));
    INFO("history: " << history.dump());
    const json removed = history_series(history, "removed");
    CHECK((removed.is_null() || removed.at("events_per_second").back().is_null()));
    CHECK_FALSE(history_series(history, "kept").at("events_per_second").back().is_null());
    // The new symbol of the reconfigured instance streams.
    REQUIRE(eventually(
        [&] {
            return mdp::test::count_rows_where(host.database(), "quotes", "provider = 'kept' AND symbol = 'CCC'") > 0;
        },
        60s));
    const auto metrics = mdp::test::parse_exposition(mdp::test::http_get(host.port(), "/metrics").body);
    CHECK(metrics.value("mdp_config_generation", {}) == 2);
    CHECK(metrics.value("mdp_config_reloads_total", {{"result", "success"}}) == 1);
    CHECK(metrics.value("mdp_config_reloads_total", {{"result", "failure"}}) == 0);

    REQUIRE(host.terminate() == 0);
    const json summary = host.summary();
    REQUIRE(summary.is_object());
    INFO("summary: " << summary.dump());
    const std::uint64_t total = mdp::test::summary_published(summary);
    CHECK(mdp::test::summary_drops(summary).empty());
    CHECK(summary.at("providers").contains("removed (removed, id 1)"));
    CHECK(summary.at("not_stored") == 0);
    CHECK(summary.at("sinks").at("main").at("stored").get<std::uint64_t>() == total);
    // Quotes and trades are one row each; bars (published when a wall-clock minute ends during
    // the run) are upserted by bar, so the rows are compared with the quotes and trades published.
    for (const std::string provider : {"kept", "removed", "added"}) {
        const std::string key = provider == "removed" ? "removed (removed, id 1)" : provider;
        const json& by_type = summary.at("providers").at(key).at("by_type");
        CHECK(mdp::test::count_rows(host.database(), "quotes", provider) == by_type.at("quote").get<std::int64_t>());
        CHECK(mdp::test::count_rows(host.database(), "trades", provider) == by_type.at("trade").get<std::int64_t>());
    }
}

TEST_CASE("an invalid reload changes nothing and says why", "[lifecycle][reload]") {
    LifecycleHost host([](json& config) { config["providers"] = json::array({synthetic_entry("synthetic", 100)}); });
    INFO(host.output());
    REQUIRE(host.state_becomes("synthetic", "running"));
    const json original = host.config();

    SECTION("bad JSON") {
        host.rewrite_config_text("{\"providers\": [");
        const json answer = reload(host, 422);
        CHECK_THAT(answer.at("message").get<std::string>(), Catch::Contains("mdp.json"));
    }
    SECTION("a bad plugin key") {
        json next = original;
        next["providers"][0]["config"]["symbolz"] = {"AAA"};
        host.rewrite_config(next);
        const json answer = reload(host, 422);
        CHECK_THAT(answer.at("message").get<std::string>(), Catch::Contains("providers[0].config.symbolz"));
    }
    SECTION("settings that cannot change live, named") {
        json next = original;
        next["store"]["queue_capacity"] = 4000;
        next["http"]["max_connections"] = 17;
        host.rewrite_config(next);
        const json answer = reload(host, 422);
        CHECK_THAT(answer.at("message").get<std::string>(), Catch::Contains("store.queue_capacity") &&
                                                                Catch::Contains("http.max_connections") &&
                                                                Catch::Contains("restart the host"));
    }
    SECTION("a sink change") {
        json next = original;
        next["store"]["sinks"].push_back({{"type", "null"}, {"name", "extra"}});
        host.rewrite_config(next);
        const json answer = reload(host, 422);
        CHECK_THAT(answer.at("message").get<std::string>(), Catch::Contains("store.sinks"));
    }
    const json status = host.status();
    CHECK(status.at("config").at("generation") == 1);
    CHECK(status.at("config").at("reloads_failed") == 1);
    CHECK(status.at("config").at("last_reload_result") == "failure");
    CHECK_THAT(status.at("config").at("last_reload_message").get<std::string>(), Catch::Contains("nothing changed"));
    CHECK(host.provider("synthetic").at("state") == "running");
    CHECK(host.provider("synthetic").at("restarts") == 0);
    CHECK_THAT(host.output(), Catch::Contains("refused, nothing changed"));
    REQUIRE(host.terminate() == 0);
}

TEST_CASE("SIGHUP reloads the config, and the reload API needs the admin token", "[lifecycle][reload]") {
    LifecycleHost host([](json& config) { config["providers"] = json::array({synthetic_entry("synthetic", 100)}); });
    INFO(host.output());
    REQUIRE(host.state_becomes("synthetic", "running"));
    CHECK(host.post("/api/v1/reload", "").status == 401);
    CHECK(host.post("/api/v1/reload", "not-the-token").status == 403);

    json next = host.config();
    next["providers"].push_back(synthetic_entry("second", 100));
    host.rewrite_config(next);
    REQUIRE(::kill(host.pid(), SIGHUP) == 0);
    REQUIRE(eventually([&] { return host.status().at("config").at("generation") == 2; }, 30s));
    REQUIRE(host.state_becomes("second", "running"));
    CHECK_THAT(host.output(), Catch::Contains("config reload requested by SIGHUP"));
    REQUIRE(host.terminate() == 0);
}

TEST_CASE("a plugin file replaced on disk is loaded anew by a reload", "[lifecycle][reload][plugins]") {
    mdp::test::TempDir plugins("mdp-reload-plugins");
    const auto installed = plugins / "mdp_synthetic.so";
    std::filesystem::copy_file(std::string(MDP_PLUGIN_DIR) + "/mdp_synthetic.so", installed);
    LifecycleHost host([&](json& config) {
        config["plugin_path"] = {plugins.path().string()};
        config["providers"] = json::array({synthetic_entry("synthetic", 100)});
    });
    INFO(host.output());
    REQUIRE(host.state_becomes("synthetic", "running"));
    CHECK(host.provider("synthetic").at("plugin_version") == "1.0.0");

    // Installed the way package managers do: written aside, renamed over the old file.
    const auto staging = plugins / "mdp_synthetic.so.new";
    std::filesystem::copy_file(MDP_NEXT_SYNTHETIC_PLUGIN, staging);
    std::filesystem::rename(staging, installed);
    const json answer = reload(host, 200);
    CHECK(change_of(answer, "synthetic").at("result") == "restarted with the new config");
    CHECK(answer.at("plugin_files_changed").size() == 1);
    REQUIRE(host.state_becomes("synthetic", "running"));
    CHECK(host.provider("synthetic").at("plugin_version") == "1.0.1-reload-test");
    const std::uint64_t before = published(host, "synthetic");
    CHECK(eventually([&] { return published(host, "synthetic") > before + 100; }, 30s));
    REQUIRE(host.terminate() == 0);
}

TEST_CASE("a reload applies freshness settings at once, without restarting the provider", "[lifecycle][reload]") {
    json entry = synthetic_entry("synthetic", 50);
    entry["config"]["pause_symbols"] = {{{"symbol", "BBB"}, {"after_seconds", 1}}};
    entry["freshness"] = {{"stale_after_seconds", 1}};
    LifecycleHost host([&](json& config) { config["providers"] = json::array({entry}); });
    INFO(host.output());
    const auto symbols = [&host](const std::string& query) {
        const auto response = mdp::test::http_get(host.port(), "/api/v1/symbols" + query);
        REQUIRE(response.status == 200);
        return json::parse(response.body);
    };
    REQUIRE(eventually([&] { return symbols("?state=stale")["total"] == 1; }, 30s));
    CHECK(symbols("?state=stale")["symbols"][0]["symbol"] == "BBB");

    // A longer threshold: BBB is fresh again at once, and the provider kept running.
    json next = host.config();
    next["providers"][0]["freshness"]["stale_after_seconds"] = 3600;
    host.rewrite_config(next);
    const json answer = reload(host, 200);
    CHECK(change_of(answer, "synthetic").at("result") == "unchanged");
    const json page = symbols("");
    CHECK(page["total"] == 2);
    CHECK(page["providers"][0]["stale"] == 0);
    CHECK(page["providers"][0]["stale_after_seconds"] == 3600);

    // Tracking off: the provider's symbols and its mdp_symbols series are gone.
    next["providers"][0]["freshness"] = {{"enabled", false}};
    host.rewrite_config(next);
    reload(host, 200);
    CHECK(symbols("")["providers"].empty());
    CHECK(mdp::test::http_get(host.port(), "/metrics").body.find("mdp_symbols{") == std::string::npos);
    REQUIRE(host.terminate() == 0);
}

TEST_CASE("a reload applies bar settings at once: the open bars are published, the provider keeps running",
          "[lifecycle][reload][bars]") {
    json entry = synthetic_entry("synthetic", 100);
    entry["config"]["bar_intervals_seconds"] = json::array();  // only the host's bars
    entry["bars"] = {{"intervals", json::array({"1h"})}};
    LifecycleHost host([&](json& config) { config["providers"] = json::array({entry}); });
    INFO(host.output());
    const json bars = host.provider("synthetic").at("bars");
    CHECK(bars.at("intervals") == json::array({"1h"}));
    CHECK(bars.at("from") == "trades");
    CHECK(bars.at("ticks_ignored").at("unpriced") == 0);
    REQUIRE(eventually([&] { return host.provider("synthetic").at("published_by_type").at("trade") > 0; }, 30s));

    // A bad interval is refused, naming it; the running bars stay as they are.
    json next = host.config();
    next["providers"][0]["bars"] = {{"intervals", json::array({"7m"})}};
    host.rewrite_config(next);
    const json refused = reload(host, 422);
    CHECK_THAT(refused.at("message").get<std::string>(),
               Catch::Contains("providers[0].bars.intervals[0]: expected an interval like"));
    CHECK(host.provider("synthetic").at("bars").at("intervals") == json::array({"1h"}));

    // New bars: the open 1 h bars are published at once (not an hour later), the mid-quote
    // 1 s bars start, and the provider is not restarted.
    next["providers"][0]["bars"] = {{"intervals", json::array({"1s"})}, {"from", "quotes_mid"}};
    host.rewrite_config(next);
    const json answer = reload(host, 200);
    CHECK(change_of(answer, "synthetic").at("result") == "unchanged");
    const json provider = host.provider("synthetic");
    CHECK(provider.at("bars").at("intervals") == json::array({"1s"}));
    CHECK(provider.at("bars").at("from") == "quotes_mid");
    CHECK(provider.at("restarts") == 0);
    CHECK(provider.at("state") == "running");
    const auto hour_bars = [&] {
        return mdp::test::count_rows_where(host.database(), "bars", "interval_ns = 3600000000000 AND trade_count > 0");
    };
    const auto mid_bars = [&] {
        return mdp::test::count_rows_where(host.database(), "bars",
                                           "interval_ns = 1000000000 AND trade_count = 0 AND volume = 0");
    };
    CHECK(eventually([&] { return hour_bars() >= 2; }, 30s));  // AAA and BBB
    CHECK(eventually([&] { return mid_bars() > 0; }, 30s));
    REQUIRE(host.terminate() == 0);
}
