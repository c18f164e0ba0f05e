#include "bench_snapshot.hpp"

#include "metrics/histogram.hpp"

#include <string>

namespace mdp::bench {
namespace {

constexpr std::int64_t kStartNs = 1'700'000'000'000'000'000;
constexpr std::int64_t kSecondNs = 1'000'000'000;

metrics::HistogramSnapshot filled_histogram() {
    metrics::Histogram histogram(metrics::Histogram::duration_bounds_seconds());
    for (int index = 0; index < 1000; ++index) {
        histogram.observe(0.00005 * (index % 300));
    }
    return histogram.snapshot();
}

}  // namespace

status::HostSnapshot bench_snapshot(std::size_t providers, std::size_t sinks) {
    status::HostSnapshot snapshot;
    snapshot.version = "0.1.0";
    snapshot.abi_version = "1.1.0";
    snapshot.run_id = "0123456789abcdef";
    snapshot.started_at_ns = kStartNs;
    snapshot.now_ns = kStartNs + 3600 * kSecondNs;
    snapshot.queue = {.coordinator_id = "store_coordinator",
                      .depth = 4200,
                      .capacity = 10000,
                      .low_watermark = 5000,
                      .high_watermark = 8000,
                      .level = "ok",
                      .level_value = 0,
                      .overflow_policy = "block",
                      .feedback_enabled = true};
    for (std::size_t index = 0; index < providers; ++index) {
        status::ProviderSnapshot provider;
        provider.name = "provider-" + std::to_string(index);
        provider.plugin_id = "synthetic";
        provider.plugin_version = "1.0.0";
        provider.plugin_file = "mdp_synthetic.so";
        provider.abi_version = "1.1.0";
        provider.state = index % 7 == 3 ? "degraded" : "running";
        provider.detail = "streaming 4 symbols";
        provider.started_at_ns = kStartNs + kSecondNs;
        provider.rate_scale = 1.0;
        provider.published_by_type = {{"quote", 123456789}, {"trade", 23456789}, {"bar", 3456}};
        provider.dropped_by_reason = {{"invalid", 1}};
        provider.feedback_by_level = {{"ok", 10}, {"soft", 7}, {"hard", 3}};
        provider.events_per_second = 12345.6;
        snapshot.providers.push_back(std::move(provider));
    }
    for (std::size_t index = 0; index < sinks; ++index) {
        status::SinkSnapshot sink;
        sink.name = "sink-" + std::to_string(index);
        sink.type = "sqlite";
        sink.events_stored = 987654321;
        sink.batches_written = 1975308;
        sink.last_write_seconds = 0.0031;
        sink.last_success_ns = snapshot.now_ns;
        sink.write_duration_seconds = filled_histogram();
        snapshot.sinks.push_back(std::move(sink));
    }
    for (int index = 0; index < 50; ++index) {
        snapshot.recent_feedback.push_back({.coordinator_id = "store_coordinator",
                                            .queue_size = 8000,
                                            .capacity = 10000,
                                            .level = "hard",
                                            .level_value = 2,
                                            .reason = "depth 8000 >= high watermark 8000",
                                            .utilization = 0.8,
                                            .timestamp_ns = kStartNs + index * kSecondNs});
    }
    snapshot.event_latency_seconds = filled_histogram();
    return snapshot;
}

}  // namespace mdp::bench
