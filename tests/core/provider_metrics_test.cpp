// A provider's own metrics (host extension MDP_HOST_METRICS_ID): what the host accepts as a
// declaration, when, and what set() does with a value.
#include "plugins/provider_metrics.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

using mdp::plugins::ProviderMetrics;

namespace {

mdp_metric_declaration_t declaration(const char* name, int32_t kind = MDP_METRIC_COUNTER, const char* help = "help") {
    return {sizeof(mdp_metric_declaration_t), name, help, kind};
}

std::string declare(ProviderMetrics& metrics, const std::vector<mdp_metric_declaration_t>& declarations) {
    metrics.accept_declarations(true);
    std::string problem = metrics.declare(declarations.data(), static_cast<std::uint32_t>(declarations.size()));
    metrics.accept_declarations(false);
    return problem;
}

}  // namespace

TEST_CASE("provider metrics: declared during create, set by index, sampled in order", "[plugins][metrics]") {
    ProviderMetrics metrics;
    REQUIRE(declare(metrics, {declaration("messages_total"), declaration("pending", MDP_METRIC_GAUGE)}).empty());
    metrics.set(0, 12);
    metrics.set(1, 3.5);
    metrics.set(2, 99);  // not declared: ignored
    metrics.set(1, std::nan(""));  // not finite: ignored
    const auto samples = metrics.samples();
    REQUIRE(samples.size() == 2);
    CHECK(samples[0].name == "messages_total");
    CHECK(samples[0].kind == mdp::status::PluginMetricKind::counter);
    CHECK(samples[0].value == 12);
    CHECK(samples[1].name == "pending");
    CHECK(samples[1].kind == mdp::status::PluginMetricKind::gauge);
    CHECK(samples[1].value == 3.5);
    metrics.clear();
    CHECK(metrics.samples().empty());
    metrics.set(0, 1);  // after clear: ignored, no crash
}

TEST_CASE("provider metrics: invalid declarations are refused whole, saying why", "[plugins][metrics]") {
    ProviderMetrics metrics;
    CHECK_THAT(declare(metrics, {declaration("Bad")}), Catch::Contains("[a-z][a-z0-9_]*"));
    CHECK_THAT(declare(metrics, {declaration("fetched")}), Catch::Contains("a counter's name ends in _total"));
    CHECK_THAT(declare(metrics, {declaration("a_total"), declaration("a_total")}), Catch::Contains("declared twice"));
    CHECK_THAT(declare(metrics, {declaration("a_total", 7)}), Catch::Contains("kind must be"));
    CHECK_THAT(declare(metrics, {declaration("a_total", MDP_METRIC_COUNTER, "two\nlines")}),
               Catch::Contains("one line"));
    CHECK_THAT(declare(metrics, {}), Catch::Contains("declare between 1 and 64 metrics"));
    CHECK(metrics.samples().empty());  // nothing kept from any refused call
    metrics.accept_declarations(false);
    const auto late = declaration("late_total");
    CHECK(metrics.declare(&late, 1) == "metrics are declared during create() only");
    REQUIRE(declare(metrics, {declaration("a_total")}).empty());
    CHECK(declare(metrics, {declaration("b_total")}) == "metrics were declared already");
}
