#include "http/status_json.hpp"

#include "pipeline/backpressure_level.hpp"

namespace mdp::http {
namespace {

using nlohmann::json;

constexpr double kNanosecondsPerSecond = 1e9;

double seconds_between(std::int64_t from_ns, std::int64_t to_ns) {
    if (from_ns <= 0 || to_ns < from_ns) {
        return 0.0;
    }
    return static_cast<double>(to_ns - from_ns) / kNanosecondsPerSecond;
}

// An unknown value (a host bug) reads as ok, as the level before any feedback.
std::string_view level_name(int level_value) {
    return pipeline::to_string(pipeline::level_of(level_value).value_or(pipeline::Level::ok));
}

json counts_to_json(const std::map<std::string, std::uint64_t>& counts) {
    json object = json::object();
    for (const auto& [key, value] : counts) {
        object[key] = value;
    }
    return object;
}

json histogram_summary(const metrics::HistogramSnapshot& histogram) {
    return {{"count", histogram.count},
            {"sum", histogram.sum},
            {"mean", histogram.count == 0 ? 0.0 : histogram.sum / static_cast<double>(histogram.count)}};
}

json queue_to_json(const status::QueueSnapshot& queue) {
    return {{"coordinator_id", queue.coordinator_id},
            {"depth", queue.depth},
            {"capacity", queue.capacity},
            {"utilization",
             queue.capacity == 0 ? 0.0 : static_cast<double>(queue.depth) / static_cast<double>(queue.capacity)},
            {"low_watermark", queue.low_watermark},
            {"high_watermark", queue.high_watermark},
            {"level", queue.level},
            {"level_value", queue.level_value},
            {"overflow_policy", queue.overflow_policy},
            {"feedback_enabled", queue.feedback_enabled}};
}

// The provider's own metrics (metrics extension): name -> value, in declaration order.
json plugin_metrics_to_json(const std::vector<status::PluginMetric>& metrics) {
    json object = json::object();
    for (const status::PluginMetric& metric : metrics) {
        object[metric.name] = metric.value;
    }
    return object;
}

// The host's bar operator of the provider; null when it builds no bars.
json bars_to_json(const status::ProviderSnapshot& provider) {
    if (provider.bar_intervals.empty()) {
        return nullptr;
    }
    return {{"intervals", provider.bar_intervals},
            {"from", provider.bar_source},
            {"ticks_ignored", counts_to_json(provider.bar_ticks_ignored)}};
}

json provider_to_json(const status::ProviderSnapshot& provider, std::int64_t now_ns) {
    return {{"name", provider.name},
            {"plugin_id", provider.plugin_id},
            {"plugin_version", provider.plugin_version},
            {"plugin_file", provider.plugin_file},
            {"abi_version", provider.abi_version},
            {"enabled", provider.enabled},
            {"required", provider.required},
            {"state", provider.state},
            {"detail", provider.detail},
            {"last_error", provider.last_error},
            {"state_since_ns", provider.state_since_ns},
            {"started_at_ns", provider.started_at_ns},
            {"uptime_seconds", seconds_between(provider.started_at_ns, now_ns)},
            {"restarts", provider.restarts},
            {"rate_scale", provider.rate_scale},
            {"level", level_name(provider.level)},
            {"level_value", provider.level},
            {"events_per_second", provider.events_per_second},
            {"published_total", status::sum_of_counts(provider.published_by_type)},
            {"published_by_type", counts_to_json(provider.published_by_type)},
            {"dropped_total", status::sum_of_counts(provider.dropped_by_reason)},
            {"dropped_by_reason", counts_to_json(provider.dropped_by_reason)},
            {"feedback_by_level", counts_to_json(provider.feedback_by_level)},
            {"metrics", plugin_metrics_to_json(provider.plugin_metrics)},
            {"bars", bars_to_json(provider)},
            {"isolation", provider.isolation},
            {"runner_pid", provider.runner_pid},
            {"runner_rss_bytes", provider.runner_rss_bytes},
            {"crashes_total", status::sum_of_counts(provider.crashes_by_signal)},
            {"crashes_by_signal", counts_to_json(provider.crashes_by_signal)}};
}

json sink_to_json(const status::SinkSnapshot& sink) {
    return {{"name", sink.name},
            {"type", sink.type},
            {"healthy", sink.healthy},
            {"events_stored", sink.events_stored},
            {"batches_written", sink.batches_written},
            {"write_errors", sink.write_errors},
            {"retries", sink.retries},
            {"last_error", sink.last_error},
            {"last_write_seconds", sink.last_write_seconds},
            {"last_success_ns", sink.last_success_ns},
            {"write_duration_seconds", histogram_summary(sink.write_duration_seconds)},
            {"rows_by_table", counts_to_json(sink.rows_by_table)},
            {"errors_by_kind", counts_to_json(sink.errors_by_kind)},
            {"circuit_state", sink.circuit_state}};
}

json feedback_to_json(const status::FeedbackEventRecord& event) {
    return {{"coordinator_id", event.coordinator_id},
            {"queue_size", event.queue_size},
            {"capacity", event.capacity},
            {"level", event.level},
            {"level_value", event.level_value},
            {"reason", event.reason},
            {"utilization", event.utilization},
            {"timestamp_ns", event.timestamp_ns}};
}

}  // namespace

json status_to_json(const status::HostSnapshot& snapshot, const ReadinessReport& readiness) {
    json providers = json::array();
    for (const auto& provider : snapshot.providers) {
        providers.push_back(provider_to_json(provider, snapshot.now_ns));
    }
    json sinks = json::array();
    for (const auto& sink : snapshot.sinks) {
        sinks.push_back(sink_to_json(sink));
    }
    json feedback = json::array();
    for (const auto& event : snapshot.recent_feedback) {
        feedback.push_back(feedback_to_json(event));
    }
    return {{"version", snapshot.version},
            {"abi_version", snapshot.abi_version},
            {"run_id", snapshot.run_id},
            {"started_at_ns", snapshot.started_at_ns},
            {"now_ns", snapshot.now_ns},
            {"uptime_seconds", seconds_between(snapshot.started_at_ns, snapshot.now_ns)},
            {"shutting_down", snapshot.shutting_down},
            {"config",
             {{"generation", snapshot.config.generation},
              {"reloads_succeeded", snapshot.config.succeeded},
              {"reloads_failed", snapshot.config.failed},
              {"last_reload_at_ns", snapshot.config.last_at_ns},
              {"last_reload_result", snapshot.config.last_result},
              {"last_reload_message", snapshot.config.last_message}}},
            {"ready", readiness.ready},
            {"not_ready_reasons", readiness.reasons},
            {"notes", readiness.notes},
            {"queue", queue_to_json(snapshot.queue)},
            {"providers", std::move(providers)},
            {"sinks", std::move(sinks)},
            {"recent_feedback", std::move(feedback)},
            {"event_latency_seconds", histogram_summary(snapshot.event_latency_seconds)}};
}

std::string dump_json(const nlohmann::json& document) {
    return document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace mdp::http
