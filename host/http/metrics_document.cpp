#include "http/metrics_document.hpp"

#include "common/event_type.hpp"
#include "metrics/exposition_writer.hpp"
#include "pipeline/backpressure_level.hpp"
#include "pipeline/ignored_tick.hpp"
#include "pipeline/overflow_policy.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mdp::http {
namespace {

using metrics::ExpositionWriter;
using metrics::MetricFamily;
using metrics::MetricType;

// Contract names (compatibility with the system mdp replaces): never rename.
constexpr MetricFamily kQueueDepth{"pipeline_feedback_queue_depth", "Current depth of the shared store queue (events).",
                                   MetricType::gauge};
constexpr MetricFamily kBackpressureState{"pipeline_backpressure_state",
                                          "Backpressure level applied to the provider: 0 ok, 1 soft, 2 hard.",
                                          MetricType::gauge};
constexpr MetricFamily kRateScale{"pipeline_rate_scale_factor",
                                  "Rate scale the provider is told to run at (0.0 to 1.0).", MetricType::gauge};
constexpr MetricFamily kFeedbackProcessed{"feedback_events_processed_total",
                                          "Backpressure feedback events applied to the provider, by level.",
                                          MetricType::counter};

constexpr MetricFamily kQueueCapacity{"mdp_store_queue_capacity", "Capacity of the shared store queue (events).",
                                      MetricType::gauge};
constexpr MetricFamily kQueueWatermark{"mdp_store_queue_watermark",
                                       "Store queue depth (events) at which the backpressure level changes: at or "
                                       "above high HARD, at or below low back to OK.",
                                       MetricType::gauge};
constexpr MetricFamily kQueueLevel{"mdp_store_queue_backpressure_level",
                                   "Backpressure level of the store queue: 0 ok, 1 soft, 2 hard.", MetricType::gauge};
constexpr MetricFamily kPublished{"mdp_events_published_total",
                                  "Events accepted into the store queue, by provider and event type.",
                                  MetricType::counter};
constexpr MetricFamily kDropped{"mdp_events_dropped_total", "Events dropped, by provider and reason.",
                                MetricType::counter};
constexpr MetricFamily kProviderEventRate{"mdp_provider_events_per_second",
                                          "Events accepted from the provider per second, over the last few seconds.",
                                          MetricType::gauge};
constexpr MetricFamily kProviderState{
    "mdp_provider_state", "Current lifecycle state of the provider (value 1, state in the label).", MetricType::gauge};
constexpr MetricFamily kProviderRestarts{"mdp_provider_restarts_total", "Times the provider was restarted.",
                                         MetricType::counter};
constexpr MetricFamily kProviderCrashes{
    "mdp_provider_crashes_total",
    "Runner processes of an isolated provider that died unasked, by provider and signal (\"exit\" for an exit).",
    MetricType::counter};
constexpr MetricFamily kProviderInfo{"mdp_provider_info", "The plugin behind each provider instance (value 1).",
                                     MetricType::gauge};
constexpr MetricFamily kStored{"mdp_events_stored_total", "Events written by the sink.", MetricType::counter};
constexpr MetricFamily kSinkErrors{"mdp_sink_write_errors_total", "Failed batch writes of the sink.",
                                   MetricType::counter};
constexpr MetricFamily kSinkRetries{"mdp_sink_write_retries_total",
                                    "Batch writes the store coordinator repeated after the sink failed one.",
                                    MetricType::counter};
constexpr MetricFamily kSinkHealthy{"mdp_sink_healthy", "1 when the sink's last write succeeded, else 0.",
                                    MetricType::gauge};
constexpr MetricFamily kSinkRows{
    "mdp_sink_rows_total", "Rows the sink inserted or updated, per table (duplicates it skipped are not counted).",
    MetricType::counter};
constexpr MetricFamily kSinkErrorsByKind{"mdp_sink_errors_total", "Failed write attempts the sink reported, by kind.",
                                         MetricType::counter};
constexpr MetricFamily kSinkCircuitState{"mdp_sink_circuit_state",
                                         "Circuit breaker state of the sink (value 1, state in the label); only "
                                         "for sinks with a breaker.",
                                         MetricType::gauge};
constexpr MetricFamily kSinkWriteDuration{"mdp_sink_batch_write_duration_seconds",
                                          "Duration of one batch write to the sink.", MetricType::histogram};
constexpr MetricFamily kEventLatency{"mdp_event_latency_seconds",
                                     "Time from an event's receipt by the host until it was stored.",
                                     MetricType::histogram};
constexpr MetricFamily kBuildInfo{"mdp_build_info", "Host version and plugin ABI version (value 1).",
                                  MetricType::gauge};
constexpr MetricFamily kConfigReloads{"mdp_config_reloads_total",
                                      "Config reloads (SIGHUP, POST /api/v1/reload), by result.", MetricType::counter};
constexpr MetricFamily kConfigGeneration{"mdp_config_generation",
                                         "Config generation: 1 at start, +1 per applied reload.", MetricType::gauge};
constexpr MetricFamily kHostStart{"mdp_host_start_time_seconds", "Unix time the host run started.", MetricType::gauge};

constexpr MetricFamily kResidentMemory{"process_resident_memory_bytes", "Resident memory size in bytes.",
                                       MetricType::gauge};
constexpr MetricFamily kVirtualMemory{"process_virtual_memory_bytes", "Virtual memory size in bytes.",
                                      MetricType::gauge};
constexpr MetricFamily kCpuSeconds{"process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                                   MetricType::counter};
constexpr MetricFamily kStartTime{"process_start_time_seconds",
                                  "Start time of the process since unix epoch in seconds.", MetricType::gauge};
constexpr MetricFamily kOpenFds{"process_open_fds", "Number of open file descriptors.", MetricType::gauge};
constexpr MetricFamily kSymbols{"mdp_symbols", "Symbols of the provider by freshness state (fresh, stale, closed).",
                                MetricType::gauge};
constexpr MetricFamily kBarTicksIgnored{"mdp_bar_ticks_ignored_total",
                                        "Ticks the host's bar operator left out of the provider's bars, by reason "
                                        "(late, unpriced, future); only for providers with bars.",
                                        MetricType::counter};
constexpr MetricFamily kMaxFds{"process_max_fds", "Maximum number of open file descriptors.", MetricType::gauge};

constexpr double kNanosecondsPerSecond = 1e9;

// The names of every value of an enumeration (to_string of each of `values`, in order).
template <typename Enum, std::size_t N>
constexpr std::array<std::string_view, N> names_of(const std::array<Enum, N>& values) {
    std::array<std::string_view, N> names{};
    for (std::size_t index = 0; index < N; ++index) {
        names[index] = to_string(values[index]);
    }
    return names;
}

// Series that exist from the start (at 0), so rate() and alerts work before the first event.
constexpr auto kEventTypeNames = names_of(common::kEventTypes);
constexpr auto kLevelNames = names_of(pipeline::kLevels);
constexpr auto kDropReasonNames = names_of(pipeline::kDropReasons);
constexpr auto kIgnoredTickNames = names_of(pipeline::kIgnoredTicks);

// Known keys first (0 when absent), then whatever else the map holds.
template <std::size_t N, typename Emit>
void for_each_count(const std::map<std::string, std::uint64_t>& counts, const std::array<std::string_view, N>& known,
                    Emit&& emit) {
    for (const std::string_view key : known) {
        const auto found = counts.find(std::string(key));
        emit(key, found == counts.end() ? std::uint64_t{0} : found->second);
    }
    for (const auto& [key, value] : counts) {
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            emit(key, value);
        }
    }
}

void add_queue_metrics(ExpositionWriter& writer, const status::QueueSnapshot& queue) {
    writer.add(kQueueDepth, {{"source", queue.coordinator_id}}, queue.depth);
    writer.add(kQueueCapacity, {}, queue.capacity);
    writer.add(kQueueWatermark, {{"watermark", "low"}}, queue.low_watermark);
    writer.add(kQueueWatermark, {{"watermark", "high"}}, queue.high_watermark);
    writer.add(kQueueLevel, {}, static_cast<std::uint64_t>(queue.level_value));
}

void add_provider_metrics(ExpositionWriter& writer, const status::ProviderSnapshot& provider) {
    const std::string_view name = provider.name;
    writer.add(kBackpressureState, {{"provider", name}}, static_cast<std::uint64_t>(provider.level));
    writer.add(kRateScale, {{"provider", name}}, provider.rate_scale);
    for_each_count(provider.feedback_by_level, kLevelNames, [&](std::string_view level, std::uint64_t count) {
        writer.add(kFeedbackProcessed, {{"provider", name}, {"level", level}}, count);
    });
    for_each_count(provider.published_by_type, kEventTypeNames, [&](std::string_view type, std::uint64_t count) {
        writer.add(kPublished, {{"provider", name}, {"type", type}}, count);
    });
    for_each_count(provider.dropped_by_reason, kDropReasonNames, [&](std::string_view reason, std::uint64_t count) {
        writer.add(kDropped, {{"provider", name}, {"reason", reason}}, count);
    });
    if (!provider.bar_intervals.empty()) {
        for_each_count(provider.bar_ticks_ignored, kIgnoredTickNames,
                       [&](std::string_view reason, std::uint64_t count) {
                           writer.add(kBarTicksIgnored, {{"provider", name}, {"reason", reason}}, count);
                       });
    }
    writer.add(kProviderEventRate, {{"provider", name}}, provider.events_per_second);
    writer.add(kProviderState, {{"provider", name}, {"state", provider.state}}, std::uint64_t{1});
    writer.add(kProviderRestarts, {{"provider", name}}, provider.restarts);
    for (const auto& [signal, count] : provider.crashes_by_signal) {
        writer.add(kProviderCrashes, {{"provider", name}, {"signal", signal}}, count);
    }
    writer.add(kProviderInfo,
               {{"provider", name},
                {"plugin", provider.plugin_id},
                {"plugin_version", provider.plugin_version},
                {"abi_version", provider.abi_version}},
               std::uint64_t{1});
}

// "mdp_plugin_<plugin id>_<name>": the id's characters outside [a-z0-9_] become '_'.
std::string plugin_metric_name(const std::string& plugin_id, const std::string& name) {
    std::string full = "mdp_plugin_";
    for (const char c : plugin_id) {
        full += (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_';
    }
    return full + "_" + name;
}

// What the provider declared through the metrics extension. Names are the plugin's: one that
// another instance declared with the other type is left out rather than failing /metrics.
void add_plugin_metrics(ExpositionWriter& writer, const status::ProviderSnapshot& provider) {
    for (const status::PluginMetric& metric : provider.plugin_metrics) {
        const std::string name = plugin_metric_name(provider.plugin_id, metric.name);
        const MetricFamily family{
            name, metric.help,
            metric.kind == status::PluginMetricKind::counter ? MetricType::counter : MetricType::gauge};
        try {
            writer.add(family, {{"provider", provider.name}}, metric.value);
        } catch (const std::invalid_argument&) {
            continue;
        }
    }
}

void add_sink_metrics(ExpositionWriter& writer, const status::SinkSnapshot& sink) {
    const std::string_view name = sink.name;
    writer.add(kStored, {{"sink", name}}, sink.events_stored);
    writer.add(kSinkErrors, {{"sink", name}}, sink.write_errors);
    writer.add(kSinkRetries, {{"sink", name}}, sink.retries);
    writer.add(kSinkHealthy, {{"sink", name}}, std::uint64_t{sink.healthy ? 1u : 0u});
    writer.add_histogram(kSinkWriteDuration, {{"sink", name}}, sink.write_duration_seconds);
    for (const auto& [table, rows] : sink.rows_by_table) {
        writer.add(kSinkRows, {{"sink", name}, {"table", table}}, rows);
    }
    for (const auto& [kind, errors] : sink.errors_by_kind) {
        writer.add(kSinkErrorsByKind, {{"sink", name}, {"kind", kind}}, errors);
    }
    if (!sink.circuit_state.empty()) {
        writer.add(kSinkCircuitState, {{"sink", name}, {"state", sink.circuit_state}}, std::uint64_t{1});
    }
}

// Three series per tracked provider, never one per symbol (docs/data-quality.md).
void add_symbol_metrics(ExpositionWriter& writer, const status::ProviderSymbolCounts& counts) {
    const std::string_view name = counts.provider;
    writer.add(kSymbols, {{"provider", name}, {"state", "fresh"}}, counts.fresh);
    writer.add(kSymbols, {{"provider", name}, {"state", "stale"}}, counts.stale);
    writer.add(kSymbols, {{"provider", name}, {"state", "closed"}}, counts.closed);
}

void add_process_metric(ExpositionWriter& writer, const MetricFamily& family, const std::optional<double>& value) {
    if (value) {
        writer.add(family, {}, *value);
    }
}

void add_process_metrics(ExpositionWriter& writer, const metrics::ProcessStats& process) {
    add_process_metric(writer, kResidentMemory, process.resident_memory_bytes);
    add_process_metric(writer, kVirtualMemory, process.virtual_memory_bytes);
    add_process_metric(writer, kCpuSeconds, process.cpu_seconds_total);
    add_process_metric(writer, kStartTime, process.start_time_seconds);
    add_process_metric(writer, kOpenFds, process.open_fds);
    add_process_metric(writer, kMaxFds, process.max_fds);
}

}  // namespace

std::string render_metrics_document(const status::HostSnapshot& snapshot, const metrics::ProcessStats& process) {
    ExpositionWriter writer;
    add_queue_metrics(writer, snapshot.queue);
    for (const status::ProviderSnapshot& provider : snapshot.providers) {
        add_provider_metrics(writer, provider);
        add_plugin_metrics(writer, provider);
    }
    for (const status::SinkSnapshot& sink : snapshot.sinks) {
        add_sink_metrics(writer, sink);
    }
    for (const status::ProviderSymbolCounts& counts : snapshot.symbols) {
        add_symbol_metrics(writer, counts);
    }
    writer.add_histogram(kEventLatency, {}, snapshot.event_latency_seconds);
    writer.add(kBuildInfo, {{"version", snapshot.version}, {"abi_version", snapshot.abi_version}}, std::uint64_t{1});
    if (snapshot.started_at_ns > 0) {
        writer.add(kHostStart, {}, static_cast<double>(snapshot.started_at_ns) / kNanosecondsPerSecond);
    }
    writer.add(kConfigReloads, {{"result", "success"}}, snapshot.config.succeeded);
    writer.add(kConfigReloads, {{"result", "failure"}}, snapshot.config.failed);
    writer.add(kConfigGeneration, {}, snapshot.config.generation);
    add_process_metrics(writer, process);
    return writer.finish();
}

}  // namespace mdp::http
