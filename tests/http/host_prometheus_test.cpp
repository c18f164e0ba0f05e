// Real Prometheus scraping the real mdp-host: the target is up and the compatibility
// queries (KEDA, dashboards) return exactly what the host reports. The host is held in a
// steady HARD state (store stalled, providers paused) so its values stand still.
#include "prometheus_server.hpp"
#include "sqlite_write_lock.hpp"
#include "synthetic_host.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace std::chrono_literals;
using mdp::test::eventually;
using nlohmann::json;

namespace {

bool query_reaches(const mdp::test::PrometheusServer& prometheus, const std::string& promql, double expected) {
    return eventually(
        [&] {
            const auto value = prometheus.query_value(promql);
            return value && *value == expected;
        },
        30s);
}

}  // namespace

TEST_CASE("Prometheus scrapes mdp-host and the compatibility queries return the host's values",
          "[http][host][prometheus]") {
    mdp::test::SyntheticHostOptions options;
    options.provider_names = {"synthetic", "ibkr"};  // an instance named ibkr, as KEDA queries it
    mdp::test::SyntheticHost host(options);
    INFO(host.output());
    REQUIRE(eventually([&] { return host.status()["sinks"][0]["events_stored"].get<std::uint64_t>() > 0; }, 60s));

    const std::string target = "127.0.0.1:" + std::to_string(host.port());
    mdp::test::PrometheusServer prometheus({target});
    REQUIRE(eventually([&] { return prometheus.target_health(target) == "up"; }, 30s));
    CHECK(prometheus.target_last_error(target).empty());
    CHECK(query_reaches(prometheus, "max(pipeline_backpressure_state)", 0));
    CHECK(query_reaches(prometheus, "min(pipeline_rate_scale_factor)", 1.0));
    CHECK(query_reaches(prometheus, "pipeline_rate_scale_factor{provider=\"ibkr\"}", 1.0));

    // Stall the store until both providers are paused at HARD and the depth stands still.
    mdp::test::SqliteWriteLock lock(host.database());
    json status;
    REQUIRE(eventually(
        [&] {
            status = host.status();
            for (const auto& provider : status["providers"]) {
                if (provider["rate_scale"] != 0.0) {
                    return false;
                }
            }
            const auto depth = status["queue"]["depth"];
            std::this_thread::sleep_for(1s);
            return host.status()["queue"]["depth"] == depth;
        },
        60s));
    status = host.status();
    const double depth = status["queue"]["depth"].get<double>();
    const double hard_events = mdp::test::provider_in_status(status, "ibkr")["feedback_by_level"]["hard"].get<double>();
    REQUIRE(depth >= 1000);

    CHECK(query_reaches(prometheus, "max(pipeline_feedback_queue_depth{source=\"store_coordinator\"})", depth));
    CHECK(query_reaches(prometheus, "max(pipeline_backpressure_state)", 2));
    CHECK(query_reaches(prometheus, "max(pipeline_backpressure_state{provider=~\".*\"} == 2)", 2));
    CHECK(query_reaches(prometheus, "pipeline_rate_scale_factor{provider=\"ibkr\"}", 0.0));
    CHECK(query_reaches(prometheus, "min(pipeline_rate_scale_factor)", 0.0));
    CHECK(query_reaches(prometheus, "feedback_events_processed_total{provider=\"ibkr\",level=\"hard\"}", hard_events));
    CHECK(query_reaches(prometheus, "mdp_store_queue_capacity", 2000));
    CHECK(query_reaches(prometheus, "mdp_sink_healthy{sink=\"main\"}", 0));

    // Released, the host recovers and Prometheus follows.
    lock.release();
    CHECK(query_reaches(prometheus, "max(pipeline_backpressure_state)", 0));
    CHECK(query_reaches(prometheus, "min(pipeline_rate_scale_factor)", 1.0));
    CHECK(query_reaches(prometheus, "mdp_sink_healthy{sink=\"main\"}", 1));
    CHECK(host.stop() == 0);
}
