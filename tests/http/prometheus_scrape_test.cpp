// A real Prometheus scrapes an in-process HttpServer every second: the target is healthy
// and the queries KEDA and dashboards use return the values the snapshot holds.
#include "prometheus_server.hpp"
#include "sample_snapshot.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;

namespace {

// Waits until `promql` returns `expected` (scrapes land once a second).
bool query_reaches(const mdp::test::PrometheusServer& prometheus, const std::string& promql, double expected) {
    return mdp::test::eventually(
        [&] {
            const auto value = prometheus.query_value(promql);
            return value && *value == expected;
        },
        30s);
}

}  // namespace

TEST_CASE("Prometheus scrapes /metrics and the compatibility queries return the host's values", "[http][prometheus]") {
    auto config = mdp::test::loopback_http_config();
    mdp::test::TestServer served(mdp::test::sample_snapshot(), config);
    const std::string target = "127.0.0.1:" + std::to_string(served.port());
    mdp::test::PrometheusServer prometheus({target});

    REQUIRE(mdp::test::eventually([&] { return prometheus.target_health(target) == "up"; }, 30s));
    INFO(prometheus.target_last_error(target));
    CHECK(prometheus.target_last_error(target).empty());

    // The snapshot: depth 6500; synthetic soft (scale 0.5), ibkr hard (scale 0), backup ok.
    CHECK(query_reaches(prometheus, "max(pipeline_feedback_queue_depth{source=\"store_coordinator\"})", 6500));
    CHECK(query_reaches(prometheus, "max(pipeline_backpressure_state)", 2));
    CHECK(query_reaches(prometheus, "max(pipeline_backpressure_state{provider=~\".*\"} == 2)", 2));
    CHECK(query_reaches(prometheus, "pipeline_rate_scale_factor{provider=\"ibkr\"}", 0.0));
    CHECK(query_reaches(prometheus, "min(pipeline_rate_scale_factor)", 0.0));
    CHECK(query_reaches(prometheus, "feedback_events_processed_total{provider=\"synthetic\",level=\"soft\"}", 3));
    CHECK(query_reaches(prometheus, "count(pipeline_backpressure_state)", 3));

    // Values follow the host: drain the queue and recover every provider.
    auto recovered = mdp::test::healthy_snapshot();
    recovered.queue.depth = 0;
    for (auto& provider : recovered.providers) {
        provider.level = 0;
        provider.rate_scale = 1.0;
    }
    served.snapshot().set(recovered);
    CHECK(query_reaches(prometheus, "max(pipeline_feedback_queue_depth{source=\"store_coordinator\"})", 0));
    CHECK(query_reaches(prometheus, "max(pipeline_backpressure_state)", 0));
    CHECK(query_reaches(prometheus, "min(pipeline_rate_scale_factor)", 1.0));
    CHECK(prometheus.query("max(pipeline_backpressure_state{provider=~\".*\"} == 2)").empty());

    // Histograms work with histogram_quantile.
    const auto latency = prometheus.query_value("histogram_quantile(0.5, mdp_event_latency_seconds_bucket)");
    REQUIRE(latency);
    CHECK(*latency > 0.0);
    CHECK(*latency <= 0.0025);
}
