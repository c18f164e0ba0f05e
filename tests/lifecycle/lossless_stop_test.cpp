// Every edge of a provider's life against the real mdp-host: stopped by SIGTERM, by the
// control API, restarted by the control API and by the supervisor, at 200 events/s and
// unthrottled. Whatever a provider published — including what it flushes in its own stop()
// (the synthetic plugin's open bars, the test plugin's held trades) — is stored, and every
// dropped_by_reason counter stays 0. A stop while the store is dead and the queue full
// returns within its deadline, then counts its drops, and the host exits 1 for them.

#include "lifecycle_host.hpp"
#include "sqlite_reader.hpp"
#include "sqlite_write_lock.hpp"

#include <catch2/catch.hpp>

using mdp::test::eventually;
using mdp::test::LifecycleHost;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

json& synthetic_config(json& config, std::size_t index = 0) { return config["providers"][index]["config"]; }

// Two symbols at `rate_per_symbol` (0 = unthrottled), 1-second bars (so every stop flushes
// open bars).
std::function<void(json&)> synthetic_at(double rate_per_symbol) {
    return [rate_per_symbol](json& config) {
        synthetic_config(config)["rate_per_symbol"] = rate_per_symbol;
        synthetic_config(config)["bar_intervals_seconds"] = {1};
    };
}

std::int64_t rows_in_database(const std::filesystem::path& database) {
    return mdp::test::count_rows(database, "quotes") + mdp::test::count_rows(database, "trades") +
           mdp::test::count_rows(database, "bars");
}

// What every lifecycle edge promises: exit 0, each provider's published events stored,
// nothing dropped for any reason, the database holding exactly what was published.
void check_lossless(const json& summary, const std::filesystem::path& database) {
    REQUIRE(summary.is_object());
    INFO("summary: " << summary.dump());
    const std::uint64_t published = mdp::test::summary_published(summary);
    CHECK(mdp::test::summary_drops(summary).empty());
    CHECK(published > 0);
    CHECK(summary.at("not_stored") == 0);
    CHECK(summary.at("sinks").at("main").at("stored").get<std::uint64_t>() == published);
    CHECK(rows_in_database(database) == static_cast<std::int64_t>(published));
}

std::uint64_t bars_published(const json& summary, const std::string& provider) {
    return summary.at("providers").at(provider).at("by_type").value("bar", 0ULL);
}

}  // namespace

TEST_CASE("SIGTERM stores everything a provider flushes in stop(), at 200 events/s and unthrottled",
          "[lifecycle][host]") {
    const double rate_per_symbol = GENERATE(100.0, 0.0);
    INFO("rate_per_symbol " << rate_per_symbol);
    LifecycleHost host(synthetic_at(rate_per_symbol));
    INFO(host.output());
    // Past the first bar boundary, so bars are both closed while running and open at the stop.
    REQUIRE(eventually([&] { return mdp::test::count_rows_where(host.database(), "bars") > 0; }, 60s));
    REQUIRE(host.terminate() == 0);
    check_lossless(host.summary(), host.database());
    CHECK(bars_published(host.summary(), "synthetic") > 0);
}

TEST_CASE("stop and restart over the control API store everything, the queue staying open for the others",
          "[lifecycle][host][control]") {
    const double rate_per_symbol = GENERATE(100.0, 0.0);
    INFO("rate_per_symbol " << rate_per_symbol);
    LifecycleHost host([&](json& config) {
        synthetic_at(rate_per_symbol)(config);
        json second = config["providers"][0];
        second["name"] = "other";
        config["providers"].push_back(second);
    });
    INFO(host.output());
    REQUIRE(eventually([&] { return mdp::test::count_rows_where(host.database(), "bars") > 0; }, 60s));

    const auto restarted = host.control("synthetic", "restart");
    CHECK(restarted.status == 200);
    REQUIRE(host.state_becomes("synthetic", "running"));
    // Another bar boundary, so the next stop flushes open bars again.
    const std::int64_t bars_before = mdp::test::count_rows_where(host.database(), "bars");
    REQUIRE(eventually([&] { return mdp::test::count_rows_where(host.database(), "bars") > bars_before; }, 60s));
    CHECK(host.control("synthetic", "stop").status == 200);
    REQUIRE(host.state_becomes("synthetic", "stopped"));
    // The other instance never paused for it.
    const std::uint64_t other_before = host.provider("other").at("published_total").get<std::uint64_t>();
    CHECK(eventually([&] { return host.provider("other").at("published_total").get<std::uint64_t>() > other_before; },
                     30s));

    REQUIRE(host.terminate() == 0);
    check_lossless(host.summary(), host.database());
    CHECK(host.summary()["providers"]["synthetic"]["restarts"] == 1);
}

TEST_CASE("supervisor restarts store what the failing provider flushes in stop(), next to a running one",
          "[lifecycle][host][supervision]") {
    // The flaky test plugin fails 200 ms after each start and publishes 3,000 trades in its
    // stop(), through a 500-event queue: every flush has to wait for the store.
    LifecycleHost host([](json& config) {
        synthetic_at(100.0)(config);
        config["plugin_path"].push_back(MDP_CORE_TEST_PLUGIN_DIR);
        config["store"]["queue_capacity"] = 500;
        config["providers"].push_back(
            {{"name", "flaky"},
             {"plugin", "flaky"},
             {"config", {{"mode", "report"}, {"fail_after_ms", 200}, {"flush_on_stop", 3000}}},
             {"restart",
              {{"policy", "on-failure"}, {"initial_backoff_ms", 50}, {"max_backoff_ms", 100}, {"max_attempts", 0}}}});
    });
    INFO(host.output());
    REQUIRE(eventually([&] { return host.provider("flaky").at("restarts").get<std::uint64_t>() >= 3; }, 60s));
    REQUIRE(host.terminate() == 0);
    const json summary = host.summary();
    check_lossless(summary, host.database());
    // Each stop (3 restarts and the final one at most) flushed its 3,000 trades.
    CHECK(summary["providers"]["flaky"]["by_type"]["trade"].get<std::uint64_t>() >= std::uint64_t{3} * 3001);
}

TEST_CASE(
    "stopping a provider blocked on a full queue with a dead sink returns within its deadline, then counts "
    "the drops, and the host exits 1 for them",
    "[lifecycle][host][control]") {
    // Feedback off: the provider keeps publishing into the full queue and blocks there.
    LifecycleHost host([](json& config) {
        synthetic_at(0.0)(config);
        config["backpressure"]["feedback_enabled"] = false;
        config["store"]["queue_capacity"] = 500;
        config["store"]["sinks"][0]["busy_timeout_ms"] = 100;  // a write fails soon against the lock
        config["providers"][0]["restart"] = {{"stop_timeout_ms", 2000}};
    });
    INFO(host.output());
    REQUIRE(eventually([&] { return host.stored() > 0; }, 60s));
    mdp::test::SqliteWriteLock lock(host.database());
    // The store is dead for good once a write failed against the lock: the coordinator then
    // retries that batch and takes nothing more from the queue. A full queue seen before that
    // can still be emptied by a batch on its way out, which lets the provider's publish return
    // and its stop() finish without waiting.
    REQUIRE(eventually([&] { return host.status()["sinks"][0]["write_errors"].get<std::uint64_t>() > 0; }, 60s));
    REQUIRE(eventually([&] { return host.status()["queue"]["depth"] == 500; }, 60s));

    const auto stopped = host.control("synthetic", "stop");
    CHECK(stopped.status == 200);
    // stop() returned (released at half its deadline): stopped, not abandoned as hung.
    const json provider = host.provider("synthetic");
    CHECK(provider.at("state") == "stopped");
    CHECK(provider.at("dropped_by_reason").at("shutdown").get<std::uint64_t>() > 0);
    CHECK(provider.at("dropped_by_reason").at("queue_full_newest") == 0);
    const std::string log = host.output();
    const auto released_at = log.find("provider synthetic: stop() has not returned after 1000 ms");
    const auto counted_at = log.find("events dropped while stopping");
    CHECK(released_at != std::string::npos);
    CHECK(counted_at != std::string::npos);
    CHECK(released_at < counted_at);

    lock.release();
    CHECK(host.terminate() == 1);
    const json summary = host.summary();
    REQUIRE(summary.is_object());
    // What the queue accepted is stored; the refusals are reported as the loss they are.
    CHECK(summary["not_stored"] == 0);
    CHECK(summary["sinks"]["main"]["stored"] == summary["providers"]["synthetic"]["published"]);
    CHECK(summary["providers"]["synthetic"]["dropped_by_reason"]["shutdown"].get<std::uint64_t>() > 0);
    CHECK_THAT(host.output(), Catch::Contains("events were dropped (reason shutdown)"));
}
