// backpressure.feedback_urls with the real mdp-host: every feedback transition (here SOFT,
// HARD, then OK as a stalled SQLite store fills and drains the queue) is POSTed as JSON to
// each configured URL, in order, with the contract's fields.

#include "sqlite_write_lock.hpp"
#include "synthetic_host.hpp"
#include "webhook_receiver.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace std::chrono_literals;
using mdp::test::eventually;
using nlohmann::json;

TEST_CASE("feedback_urls receive each backpressure transition as JSON", "[http][host][feedback]") {
    mdp::test::WebhookReceiver receiver;
    mdp::test::SyntheticHostOptions options;
    options.config_patch = {
        {"backpressure", {{"feedback_urls", {"http://127.0.0.1:" + std::to_string(receiver.port()) + "/mdp"}}}}};
    mdp::test::SyntheticHost host(options);
    REQUIRE(eventually([&] { return host.status()["sinks"][0]["events_stored"].get<std::uint64_t>() > 0; }, 60s));
    const std::size_t before = receiver.bodies().size();
    {
        mdp::test::SqliteWriteLock lock(host.database());
        REQUIRE(eventually([&] { return host.status()["queue"]["level"] == "hard"; }, 60s));
    }
    REQUIRE(eventually([&] { return host.status()["queue"]["level"] == "ok"; }, 60s));
    REQUIRE(eventually([&] { return receiver.bodies().size() >= before + 3; }, 30s));
    std::vector<std::string> levels;
    for (std::size_t index = before; index < receiver.bodies().size(); ++index) {
        const json event = json::parse(receiver.bodies()[index]);
        CHECK(event["coordinator_id"] == "store_coordinator");
        CHECK(event["capacity"] == 2000);
        CHECK(event.contains("queue_size"));
        CHECK(event.contains("utilization"));
        CHECK(event.contains("timestamp_ns"));
        levels.push_back(event["level"]);
    }
    // The stall's transitions in order: SOFT, HARD, then OK (a loaded machine may add a
    // SOFT/OK pair before the stall, so they are found, not indexed).
    INFO("levels posted: " << json(levels).dump());
    const auto hard = std::find(levels.begin(), levels.end(), "hard");
    REQUIRE(hard != levels.end());
    REQUIRE(hard != levels.begin());
    CHECK(*(hard - 1) == "soft");
    CHECK(std::find(hard, levels.end(), "ok") != levels.end());
    REQUIRE(host.stop() == 0);
}
