// End to end with the real mdp-host, observed only over HTTP: the SQLite store is stalled
// for real (another connection holds its write lock), the queue climbs through SOFT to
// HARD, the synthetic provider is told rate scale 0 and stops publishing, /ready turns 503;
// the stall is released, the queue drains, the OK event arrives, the scale returns to 1.0,
// and every accepted event ends up stored (block policy: nothing lost).
#include "exposition_parser.hpp"
#include "sqlite_reader.hpp"
#include "sqlite_write_lock.hpp"
#include "synthetic_host.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace std::chrono_literals;
using mdp::test::eventually;
using nlohmann::json;

namespace {

std::uint64_t published_total(const json& status, const std::string& provider) {
    return mdp::test::provider_in_status(status, provider).at("published_total").get<std::uint64_t>();
}

// The recent_feedback events after the one stamped `after_ns` (all when 0). The list is
// capped (oldest dropped first), so events are told apart by timestamp, never by index.
std::vector<json> feedback_since(const json& status, std::int64_t after_ns) {
    std::vector<json> events;
    for (const auto& event : status.at("recent_feedback")) {
        if (event.at("timestamp_ns").get<std::int64_t>() > after_ns) {
            events.push_back(event);
        }
    }
    return events;
}

std::vector<std::string> levels_of(const std::vector<json>& events) {
    std::vector<std::string> levels;
    for (const auto& event : events) {
        levels.push_back(event.at("level"));
    }
    return levels;
}

}  // namespace

TEST_CASE("a stalled SQLite store drives SOFT then HARD, pauses the provider, and recovers without losing events",
          "[http][host][backpressure]") {
    // Capacity 2000: low watermark 1000, high 1600. 2 symbols x 500/s = 1000 events/s.
    mdp::test::SyntheticHost host;
    INFO(host.output());
    REQUIRE(eventually(
        [&] {
            const json status = host.status();
            return status["sinks"][0]["events_stored"].get<std::uint64_t>() > 0 &&
                   mdp::test::provider_in_status(status, "synthetic")["state"] == "running";
        },
        60s));
    CHECK(host.get("/ready").status == 200);
    // Keeping up (normally no transition at all yet; a loaded machine may have caused some).
    REQUIRE(eventually([&] { return host.status()["queue"]["level"] == "ok"; }, 30s));

    mdp::test::SqliteWriteLock lock(host.database());
    const json before_lock = host.status()["recent_feedback"];
    const std::int64_t last_before_lock_ns =
        before_lock.empty() ? 0 : before_lock.back().at("timestamp_ns").get<std::int64_t>();
    const auto transitions_since_lock = [&](const json& status) {
        return levels_of(feedback_since(status, last_before_lock_ns));
    };

    // The depth climbs through the watermarks; the level goes SOFT, then HARD.
    std::uint64_t deepest = 0;
    REQUIRE(eventually(
        [&] {
            const json status = host.status();
            deepest = std::max(deepest, status["queue"]["depth"].get<std::uint64_t>());
            const json& synthetic = mdp::test::provider_in_status(status, "synthetic");
            return status["queue"]["level"] == "hard" && synthetic["rate_scale"] == 0.0 && synthetic["level"] == "hard";
        },
        60s));
    json status = host.status();
    CHECK(deepest >= 1600);
    CHECK(status["queue"]["depth"].get<std::uint64_t>() >= 1000);
    CHECK(transitions_since_lock(status) == std::vector<std::string>{"soft", "hard"});
    const json& hard_event = status["recent_feedback"].back();
    CHECK(hard_event["level"] == "hard");
    CHECK(hard_event["queue_size"].get<std::uint64_t>() >= 1600);
    CHECK(hard_event["coordinator_id"] == "store_coordinator");

    // At scale 0 the provider really stops publishing.
    CHECK(eventually(
        [&] {
            const std::uint64_t before = published_total(host.status(), "synthetic");
            std::this_thread::sleep_for(1s);
            return published_total(host.status(), "synthetic") == before;
        },
        30s));

    // Prometheus sees the same through /metrics.
    const auto metrics = mdp::test::parse_exposition(host.get("/metrics").body);
    CHECK(metrics.problems.empty());
    CHECK(metrics.value("pipeline_backpressure_state", {{"provider", "synthetic"}}) == 2);
    CHECK(metrics.value("pipeline_rate_scale_factor", {{"provider", "synthetic"}}) == 0.0);
    CHECK(metrics.value("feedback_events_processed_total", {{"provider", "synthetic"}, {"level", "hard"}}) >= 1);
    CHECK(metrics.value("pipeline_feedback_queue_depth", {{"source", "store_coordinator"}}) >= 1000);

    // A store that cannot write makes the host unready.
    REQUIRE(eventually([&] { return host.get("/ready").status == 503; }, 30s));
    CHECK(host.get("/ready").body.find("sink 'main'") != std::string::npos);
    // ... while the start-up readiness Kubernetes' probe reads stays 200: a store outage must
    // not take the pod out of the HPA's ready count.
    CHECK(host.get("/started").status == 200);

    lock.release();

    // The queue drains, the OK event arrives, the provider runs at full rate again.
    REQUIRE(eventually(
        [&] {
            status = host.status();
            const json& synthetic = mdp::test::provider_in_status(status, "synthetic");
            return status["queue"]["level"] == "ok" && synthetic["rate_scale"] == 1.0 && synthetic["level"] == "ok";
        },
        60s));
    const auto levels = transitions_since_lock(status);
    REQUIRE(levels.size() >= 3);
    CHECK(std::vector<std::string>(levels.begin(), levels.begin() + 3) ==
          std::vector<std::string>{"soft", "hard", "ok"});
    const json ok_event = feedback_since(status, last_before_lock_ns).at(2);
    CHECK(ok_event["level"] == "ok");
    CHECK(ok_event["queue_size"].get<std::uint64_t>() <= 1000);
    CHECK(mdp::test::provider_in_status(status, "synthetic")["feedback_by_level"]["ok"] >= 1);
    CHECK(eventually([&] { return host.get("/ready").status == 200; }, 30s));
    const std::uint64_t resumed_from = published_total(status, "synthetic");
    CHECK(eventually([&] { return published_total(host.status(), "synthetic") > resumed_from + 500; }, 30s));

    // Block policy: through stall and recovery not one event was dropped.
    CHECK(mdp::test::provider_in_status(host.status(), "synthetic")["dropped_total"] == 0);

    // Stop: the provider stops while the queue still accepts, the queue drains into SQLite;
    // every published event is stored exactly once and nothing is dropped for any reason.
    REQUIRE(host.stop() == 0);
    const json summary = host.summary();
    REQUIRE(summary.is_object());
    const json& totals = summary["providers"]["synthetic"];
    for (const auto& [reason, count] : totals["dropped_by_reason"].items()) {
        INFO("dropped for " << reason);
        CHECK(count == 0);
    }
    const std::uint64_t published = totals["published"].get<std::uint64_t>();
    CHECK(published > 0);
    CHECK(summary["not_stored"] == 0);
    CHECK(summary["sinks"]["main"]["stored"].get<std::uint64_t>() == published);
    CHECK(summary["sinks"]["main"]["errors"].get<std::uint64_t>() > 0);  // the stall was real
    const std::int64_t rows =
        mdp::test::count_rows(host.database(), "quotes") + mdp::test::count_rows(host.database(), "trades");
    CHECK(rows == static_cast<std::int64_t>(published));
}
