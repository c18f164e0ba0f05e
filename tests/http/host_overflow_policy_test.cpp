// The store's overflow policies and its drain deadline with the real mdp-host, the SQLite
// store stalled for real (another connection holds its write lock): drop_newest refuses and
// drop_oldest evicts, each counted in mdp_events_dropped_total with its reason and accounted
// for exactly in the exit summary; a drain that cannot finish before
// shutdown_drain_timeout_ms exits 1 and says how many events were not stored.

#include "exposition_parser.hpp"
#include "sqlite_reader.hpp"
#include "sqlite_write_lock.hpp"
#include "synthetic_host.hpp"

#include <catch2/catch.hpp>

#include <csignal>

using namespace std::chrono_literals;
using mdp::test::eventually;
using nlohmann::json;

namespace {

// A small queue with feedback off (the provider never slows down), so a stalled store
// fills it within a second; the policy comes from MDP_OVERFLOW_POLICY.
mdp::test::SyntheticHostOptions overflowing(const std::string& policy) {
    mdp::test::SyntheticHostOptions options;
    options.queue_capacity = 200;
    options.batch_size = 50;
    options.rate_per_symbol = 2000;
    options.environment = {{"MDP_OVERFLOW_POLICY", policy}, {"MDP_FB_ENABLE_FEEDBACK", "false"}};
    return options;
}

double dropped_metric(const mdp::test::SyntheticHost& host, const std::string& reason) {
    const auto metrics = mdp::test::parse_exposition(host.get("/metrics").body);
    REQUIRE(metrics.problems.empty());
    return metrics.value("mdp_events_dropped_total", {{"provider", "synthetic"}, {"reason", reason}});
}

}  // namespace

TEST_CASE("drop_newest refuses events at a full queue and counts them as queue_full_newest", "[http][host][overflow]") {
    mdp::test::SyntheticHost host(overflowing("drop_newest"));
    REQUIRE(host.status()["queue"]["overflow_policy"] == "drop_newest");
    {
        mdp::test::SqliteWriteLock lock(host.database());
        REQUIRE(eventually([&] { return dropped_metric(host, "queue_full_newest") > 1000; }, 60s));
        CHECK(dropped_metric(host, "queue_full_oldest") == 0);
    }
    REQUIRE(host.stop() == 0);
    const json summary = host.summary();
    REQUIRE(summary.is_object());
    const json& provider = summary["providers"]["synthetic"];
    CHECK(provider["dropped_by_reason"]["queue_full_newest"].get<std::uint64_t>() > 1000);
    // A refused event was never accepted: everything accepted was stored, exactly once.
    CHECK(summary["sinks"]["main"]["stored"] == provider["published"]);
    CHECK(mdp::test::count_rows(host.database(), "quotes") + mdp::test::count_rows(host.database(), "trades") ==
          provider["published"].get<std::int64_t>());
    CHECK(summary["not_stored"] == 0);
}

TEST_CASE("drop_oldest evicts queued events for new ones and counts them as queue_full_oldest",
          "[http][host][overflow]") {
    mdp::test::SyntheticHost host(overflowing("drop_oldest"));
    REQUIRE(host.status()["queue"]["overflow_policy"] == "drop_oldest");
    {
        mdp::test::SqliteWriteLock lock(host.database());
        REQUIRE(eventually([&] { return dropped_metric(host, "queue_full_oldest") > 1000; }, 60s));
        CHECK(dropped_metric(host, "queue_full_newest") == 0);
    }
    REQUIRE(host.stop() == 0);
    const json summary = host.summary();
    REQUIRE(summary.is_object());
    const json& provider = summary["providers"]["synthetic"];
    const auto evicted = provider["dropped_by_reason"]["queue_full_oldest"].get<std::uint64_t>();
    CHECK(evicted > 1000);
    // An evicted event had been accepted: stored = accepted - evicted, nothing else missing.
    CHECK(summary["sinks"]["main"]["stored"].get<std::uint64_t>() ==
          provider["published"].get<std::uint64_t>() - evicted);
    CHECK(summary["not_stored"] == 0);
}

TEST_CASE("a drain that cannot finish within shutdown_drain_timeout_ms exits 1 and counts what was not stored",
          "[http][host][shutdown]") {
    mdp::test::SyntheticHostOptions options;
    options.store_overrides = {{"shutdown_drain_timeout_ms", 1000}};
    mdp::test::SyntheticHost host(options);
    REQUIRE(eventually([&] { return host.status()["sinks"][0]["events_stored"].get<std::uint64_t>() > 0; }, 60s));
    mdp::test::SqliteWriteLock lock(host.database());  // held until the host has exited
    REQUIRE(eventually([&] { return host.status()["queue"]["depth"].get<std::uint64_t>() > 0; }, 60s));
    CHECK(host.stop() == 1);
    const json summary = host.summary();
    REQUIRE(summary.is_object());
    CHECK(summary["not_stored"].get<std::uint64_t>() > 0);
    CHECK_THAT(host.output(), Catch::Contains("critical"));
}
