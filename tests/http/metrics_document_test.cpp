// The /metrics document rendered from a snapshot: contract names and labels, every metric
// of docs/metrics.md, structure, and no symbols in labels.
#include "exposition_parser.hpp"
#include "http/metrics_document.hpp"
#include "sample_snapshot.hpp"

#include <catch2/catch.hpp>

#include <set>

using mdp::test::parse_exposition;

namespace {

mdp::metrics::ProcessStats fixed_process_stats() {
    mdp::metrics::ProcessStats stats;
    stats.resident_memory_bytes = 52428800;
    stats.virtual_memory_bytes = 104857600;
    stats.cpu_seconds_total = 12.5;
    stats.start_time_seconds = 1700000000.25;
    stats.open_fds = 17;
    stats.max_fds = 1024;
    return stats;
}

mdp::test::ParsedExposition render_sample() {
    const std::string text = mdp::http::render_metrics_document(mdp::test::sample_snapshot(), fixed_process_stats());
    auto parsed = parse_exposition(text);
    INFO(text);
    for (const auto& problem : parsed.problems) {
        FAIL_CHECK(problem);
    }
    return parsed;
}

}  // namespace

TEST_CASE("the four compatibility metrics have exactly the contract names, types and labels", "[http][metrics]") {
    const auto parsed = render_sample();
    CHECK(parsed.types.at("pipeline_feedback_queue_depth") == "gauge");
    CHECK(parsed.types.at("pipeline_backpressure_state") == "gauge");
    CHECK(parsed.types.at("pipeline_rate_scale_factor") == "gauge");
    CHECK(parsed.types.at("feedback_events_processed_total") == "counter");

    const auto depth = parsed.find("pipeline_feedback_queue_depth");
    REQUIRE(depth.size() == 1);
    CHECK(depth[0].labels == std::map<std::string, std::string>{{"source", "store_coordinator"}});
    CHECK(depth[0].value == 6500);

    CHECK(parsed.value("pipeline_backpressure_state", {{"provider", "synthetic"}}) == 1);
    CHECK(parsed.value("pipeline_backpressure_state", {{"provider", "ibkr"}}) == 2);
    CHECK(parsed.value("pipeline_backpressure_state", {{"provider", "backup"}}) == 0);
    CHECK(parsed.value("pipeline_rate_scale_factor", {{"provider", "synthetic"}}) == 0.5);
    CHECK(parsed.value("pipeline_rate_scale_factor", {{"provider", "ibkr"}}) == 0.0);
    for (const auto& sample : parsed.find("pipeline_backpressure_state")) {
        CHECK(sample.labels.size() == 1);  // just `provider`
    }
    for (const auto& sample : parsed.find("pipeline_rate_scale_factor")) {
        CHECK(sample.labels.size() == 1);
    }

    CHECK(parsed.value("feedback_events_processed_total", {{"provider", "synthetic"}, {"level", "soft"}}) == 3);
    CHECK(parsed.value("feedback_events_processed_total", {{"provider", "synthetic"}, {"level", "hard"}}) == 1);
    // Every level exists for every provider from the start, so increase() works at once.
    CHECK(parsed.find("feedback_events_processed_total").size() == std::size_t{3} * 3);
    for (const auto& sample : parsed.find("feedback_events_processed_total")) {
        CHECK(sample.labels.size() == 2);
    }
}

TEST_CASE("queue, provider, sink, latency, build and process metrics are all present", "[http][metrics]") {
    const auto parsed = render_sample();
    CHECK(parsed.value("mdp_store_queue_capacity") == 10000);
    CHECK(parsed.value("mdp_store_queue_watermark", {{"watermark", "low"}}) == 5000);
    CHECK(parsed.value("mdp_store_queue_watermark", {{"watermark", "high"}}) == 8000);
    CHECK(parsed.value("mdp_store_queue_backpressure_level") == 1);

    CHECK(parsed.value("mdp_events_published_total", {{"provider", "synthetic"}, {"type", "quote"}}) == 1000);
    CHECK(parsed.value("mdp_events_published_total", {{"provider", "synthetic"}, {"type", "bar"}}) == 20);
    CHECK(parsed.value("mdp_events_published_total", {{"provider", "ibkr"}, {"type", "trade"}}) == 0);
    CHECK(parsed.value("mdp_events_dropped_total", {{"provider", "ibkr"}, {"reason", "queue_full_newest"}}) == 11);
    CHECK(parsed.value("mdp_events_dropped_total", {{"provider", "ibkr"}, {"reason", "queue_full_oldest"}}) == 0);
    CHECK(parsed.value("mdp_events_dropped_total", {{"provider", "synthetic"}, {"reason", "invalid"}}) == 3);
    CHECK(parsed.value("mdp_provider_events_per_second", {{"provider", "synthetic"}}) == 150.5);
    CHECK(parsed.value("mdp_provider_restarts_total", {{"provider", "ibkr"}}) == 4);
    CHECK(parsed.value("mdp_provider_info", {{"provider", "ibkr"}, {"plugin", "ibkr"}}) == 1);

    CHECK(parsed.value("mdp_events_stored_total", {{"sink", "main"}}) == 123456);
    CHECK(parsed.value("mdp_sink_write_errors_total", {{"sink", "main"}}) == 2);
    CHECK(parsed.value("mdp_sink_write_retries_total", {{"sink", "main"}}) == 5);
    CHECK(parsed.value("mdp_sink_healthy", {{"sink", "archive"}}) == 1);
    CHECK(parsed.value("mdp_sink_batch_write_duration_seconds_count", {{"sink", "main"}}) == 31);
    CHECK(parsed.value("mdp_sink_batch_write_duration_seconds_count", {{"sink", "archive"}}) == 11);
    CHECK(parsed.value("mdp_event_latency_seconds_count") == 51);
    CHECK(parsed.value("mdp_sink_rows_total", {{"sink", "main"}, {"table", "trades"}}) == 23000);
    CHECK(parsed.value("mdp_sink_rows_total", {{"sink", "warehouse"}, {"table", "bars_ohlcv"}}) == 0);
    CHECK(parsed.find("mdp_sink_rows_total", {{"sink", "archive"}}).empty());  // reports none
    CHECK(parsed.value("mdp_sink_errors_total", {{"sink", "warehouse"}, {"kind", "circuit_open"}}) == 12);
    CHECK(parsed.value("mdp_sink_errors_total", {{"sink", "main"}, {"kind", "locked"}}) == 2);
    // Only sinks with a circuit breaker have a circuit state series.
    const auto circuits = parsed.find("mdp_sink_circuit_state");
    REQUIRE(circuits.size() == 1);
    CHECK(circuits[0].labels == std::map<std::string, std::string>{{"sink", "warehouse"}, {"state", "half_open"}});
    CHECK(circuits[0].value == 1);

    CHECK(parsed.value("mdp_build_info", {{"version", "0.1.0"}, {"abi_version", "1.1.0"}}) == 1);
    CHECK(parsed.value("mdp_host_start_time_seconds") == 1700000000.0);
    CHECK(parsed.value("process_resident_memory_bytes") == 52428800);
    CHECK(parsed.value("process_cpu_seconds_total") == 12.5);
    CHECK(parsed.value("process_start_time_seconds") == 1700000000.25);
    CHECK(parsed.value("process_open_fds") == 17);
    CHECK(parsed.types.at("process_cpu_seconds_total") == "counter");
}

TEST_CASE("provider state: one series per provider, its current state as a label", "[http][metrics]") {
    const auto parsed = render_sample();
    const auto states = parsed.find("mdp_provider_state");
    REQUIRE(states.size() == 3);
    std::map<std::string, std::string> state_of;
    for (const auto& sample : states) {
        CHECK(sample.value == 1);
        state_of[sample.labels.at("provider")] = sample.labels.at("state");
    }
    CHECK(state_of ==
          std::map<std::string, std::string>{{"synthetic", "running"}, {"ibkr", "degraded"}, {"backup", "failed"}});
}

TEST_CASE("mdp_symbols: three series per tracked provider, one per freshness state, never one per symbol",
          "[http][metrics]") {
    const auto parsed = render_sample();
    const auto series = parsed.find("mdp_symbols");
    REQUIRE(series.size() == 6);
    std::map<std::pair<std::string, std::string>, double> value_of;
    for (const auto& sample : series) {
        CHECK(sample.labels.size() == 2);
        value_of[{sample.labels.at("provider"), sample.labels.at("state")}] = sample.value;
    }
    CHECK(value_of == std::map<std::pair<std::string, std::string>, double>{{{"synthetic", "fresh"}, 40},
                                                                            {{"synthetic", "stale"}, 2},
                                                                            {{"synthetic", "closed"}, 0},
                                                                            {{"ibkr", "fresh"}, 0},
                                                                            {{"ibkr", "stale"}, 0},
                                                                            {{"ibkr", "closed"}, 12}});
}

TEST_CASE("every histogram has ascending cumulative buckets ending in +Inf == _count", "[http][metrics]") {
    const auto parsed = render_sample();
    for (const auto& [family, type] : parsed.types) {
        if (type != "histogram") {
            continue;
        }
        std::map<std::string, std::vector<mdp::test::ParsedSample>> buckets_by_series;
        for (const auto& bucket : parsed.find(family + "_bucket")) {
            auto labels = bucket.labels;
            labels.erase("le");
            buckets_by_series[labels.empty() ? "" : labels.begin()->second].push_back(bucket);
        }
        REQUIRE_FALSE(buckets_by_series.empty());
        for (const auto& [series, buckets] : buckets_by_series) {
            INFO(family << " " << series);
            REQUIRE(buckets.back().labels.at("le") == "+Inf");
            for (std::size_t index = 1; index < buckets.size(); ++index) {
                CHECK(buckets[index].value >= buckets[index - 1].value);
                CHECK(
                    std::stod(buckets[index - 1].labels.at("le")) <
                    (buckets[index].labels.at("le") == "+Inf" ? INFINITY : std::stod(buckets[index].labels.at("le"))));
            }
            const auto& labels = buckets.back().labels;
            std::map<std::string, std::string> series_labels = labels;
            series_labels.erase("le");
            CHECK(parsed.value(family + "_count", series_labels) == buckets.back().value);
        }
    }
}

TEST_CASE("labels carry instance names, never symbols", "[http][metrics]") {
    auto snapshot = mdp::test::sample_snapshot();
    // Symbols reach the snapshot where they do in a real host: in a provider's detail and
    // errors and in a sink's error. None of them may become a label or a series.
    snapshot.providers[0].detail = "streaming AAPL, MSFT at 50 ev/s";
    snapshot.providers[1].last_error = "AAPL: no security definition has been found";
    snapshot.sinks.at(0).last_error = "duplicate key (AAPL, 1700000000)";
    const std::string text = mdp::http::render_metrics_document(snapshot, fixed_process_stats());
    const auto parsed = parse_exposition(text);
    const std::set<std::string> allowed_labels{
        "source",      "provider", "level", "type",      "reason",  "state", "plugin", "plugin_version",
        "abi_version", "sink",     "le",    "watermark", "version", "table", "kind",   "result"};
    for (const auto& sample : parsed.samples) {
        for (const auto& [label, value] : sample.labels) {
            CHECK(allowed_labels.contains(label));
        }
    }
    CHECK(text.find("AAPL") == std::string::npos);
}

TEST_CASE("hostile provider names are escaped, not breaking the document", "[http][metrics]") {
    auto snapshot = mdp::test::sample_snapshot();
    snapshot.providers[0].name = "evil\"} 1\nfake_metric 2";
    snapshot.providers[1].plugin_version = mdp::test::kHostileText;
    const auto parsed = parse_exposition(mdp::http::render_metrics_document(snapshot, fixed_process_stats()));
    CHECK(parsed.problems.empty());
    CHECK(parsed.find("fake_metric").empty());
    CHECK(parsed.value("pipeline_rate_scale_factor", {{"provider", "evil\"} 1\nfake_metric 2"}}) == 0.5);
}

TEST_CASE("unreadable process values are left out rather than invented", "[http][metrics]") {
    const auto parsed = parse_exposition(
        mdp::http::render_metrics_document(mdp::test::sample_snapshot(), mdp::metrics::ProcessStats{}));
    CHECK(parsed.problems.empty());
    CHECK(parsed.find("process_resident_memory_bytes").empty());
}

TEST_CASE("process stats are read from /proc", "[http][metrics]") {
    const auto stats = mdp::metrics::read_process_stats();
    REQUIRE(stats.resident_memory_bytes);
    CHECK(*stats.resident_memory_bytes > 1024 * 1024);
    REQUIRE(stats.cpu_seconds_total);
    CHECK(*stats.cpu_seconds_total >= 0);
    REQUIRE(stats.start_time_seconds);
    CHECK(*stats.start_time_seconds > 1.5e9);
    REQUIRE(stats.open_fds);
    CHECK(*stats.open_fds >= 3);
}

TEST_CASE("mdp_bar_ticks_ignored_total: one series per reason for a provider with bars, none without",
          "[http][metrics][bars]") {
    auto snapshot = mdp::test::sample_snapshot();
    snapshot.providers[0].bar_intervals = {"1s", "1m"};
    snapshot.providers[0].bar_source = "trades";
    snapshot.providers[0].bar_ticks_ignored = {{"late", 4}};
    const std::string text = mdp::http::render_metrics_document(snapshot, fixed_process_stats());
    INFO(text);
    const auto parsed = parse_exposition(text);
    CHECK(parsed.problems.empty());
    CHECK(parsed.types.at("mdp_bar_ticks_ignored_total") == "counter");
    CHECK(parsed.value("mdp_bar_ticks_ignored_total", {{"provider", "synthetic"}, {"reason", "late"}}) == 4);
    CHECK(parsed.value("mdp_bar_ticks_ignored_total", {{"provider", "synthetic"}, {"reason", "unpriced"}}) == 0);
    CHECK(parsed.value("mdp_bar_ticks_ignored_total", {{"provider", "synthetic"}, {"reason", "future"}}) == 0);
    CHECK(parsed.find("mdp_bar_ticks_ignored_total").size() == 3);  // ibkr and backup build no bars
}
