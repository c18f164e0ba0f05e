#pragma once
// A point-in-time copy of everything the host reports: the single input of /metrics, the
// JSON status API, the status page and readiness. Built by HostApplication::snapshot() on
// the caller's thread from atomics and short locks; plain values, no references inside.

#include "metrics/histogram.hpp"
#include "status/feedback_event.hpp"
#include "status/plugin_metric.hpp"
#include "status/symbol_query.hpp"

#include <cstdint>
#include <map>
#include <numeric>
#include <string>
#include <vector>

namespace mdp::status {

// Backpressure transitions, as the pipeline publishes them (status/feedback_event.hpp).
using FeedbackEventRecord = FeedbackEvent;

struct ProviderSnapshot {
    std::string name;  // instance name (the `provider` label)
    std::string plugin_id;
    std::string plugin_version;
    std::string plugin_file;
    std::string abi_version;  // the plugin's, "1.0.0"
    bool enabled = true;
    bool required = false;
    std::string state;  // loaded, starting, running, degraded, stopping, stopped, failed
    std::string detail;  // last human-readable detail
    std::string last_error;  // last failure reason ("" if none)
    std::int64_t state_since_ns = 0;
    std::int64_t started_at_ns = 0;  // 0 when never started
    std::uint64_t restarts = 0;
    double rate_scale = 1.0;
    int level = 0;  // backpressure level as seen by this provider (0 ok, 1 soft, 2 hard)
    // Events accepted into the queue, by type ("quote", "trade", "bar").
    std::map<std::string, std::uint64_t> published_by_type;
    // Events dropped, by reason ("queue_full_newest", "queue_full_oldest", "shutdown", "invalid").
    std::map<std::string, std::uint64_t> dropped_by_reason;
    // Feedback events applied to this provider, by level ("ok", "soft", "hard").
    std::map<std::string, std::uint64_t> feedback_by_level;
    double events_per_second = 0.0;  // accepted, over the last few seconds
    // The provider's own metrics (metrics extension), in declaration order.
    std::vector<PluginMetric> plugin_metrics;
    // The host's bar operator of this instance (docs/data-quality.md, "Bars from ticks"): its
    // intervals ("1s", "5m"), none when off; its source ("trades", "quotes_mid"); the ticks it
    // left out of its bars, by reason ("late", "unpriced", "future").
    std::vector<std::string> bar_intervals;
    std::string bar_source;
    std::map<std::string, std::uint64_t> bar_ticks_ignored;
    // Where the plugin runs: "in_process" or "process" (docs/isolation.md); isolated, the
    // current runner's pid and resident memory (0 when none runs) and its runners' crashes by
    // signal ("SIGSEGV", ..., "exit").
    std::string isolation = "in_process";
    std::int64_t runner_pid = 0;
    std::uint64_t runner_rss_bytes = 0;
    std::map<std::string, std::uint64_t> crashes_by_signal;
};

struct SinkSnapshot {
    std::string name;
    std::string type;
    std::uint64_t events_stored = 0;
    std::uint64_t batches_written = 0;
    std::uint64_t write_errors = 0;
    std::uint64_t retries = 0;  // writes the coordinator repeated after a failed one
    bool healthy = true;  // last write succeeded (or none failed yet)
    std::string last_error;
    double last_write_seconds = 0.0;
    std::int64_t last_success_ns = 0;
    metrics::HistogramSnapshot write_duration_seconds;
    // What the sink itself reports (sinks::SinkStats): empty for sinks without it.
    std::map<std::string, std::uint64_t> rows_by_table;  // rows inserted or updated per table
    std::map<std::string, std::uint64_t> errors_by_kind;  // failed attempts by kind
    std::string circuit_state;  // "closed", "open", "half_open" or ""
    std::string destination;  // where the data goes (Sink::destination)
};

struct QueueSnapshot {
    // The `source` label of pipeline_feedback_queue_depth (BackpressureConfig::coordinator_id).
    std::string coordinator_id = "store_coordinator";
    std::uint64_t depth = 0;
    std::uint64_t capacity = 0;
    std::uint64_t low_watermark = 0;  // events
    std::uint64_t high_watermark = 0;  // events
    std::string level;  // ok / soft / hard
    int level_value = 0;
    std::string overflow_policy;
    bool feedback_enabled = true;
};

// Config reloads (SIGHUP, POST /api/v1/reload) so far.
struct ReloadSnapshot {
    std::uint64_t generation = 1;  // 1 = the config read at start; +1 per applied reload
    std::uint64_t succeeded = 0;
    std::uint64_t failed = 0;
    std::int64_t last_at_ns = 0;  // 0: never reloaded
    std::string last_result;  // "success" or "failure"; "" before the first
    std::string last_message;  // what changed, or why nothing did
};

struct HostSnapshot {
    std::string version;
    std::string abi_version;
    std::string run_id;
    std::int64_t started_at_ns = 0;
    std::int64_t now_ns = 0;
    QueueSnapshot queue;
    std::vector<ProviderSnapshot> providers;
    std::vector<SinkSnapshot> sinks;
    std::vector<FeedbackEventRecord> recent_feedback;  // newest last, at most 50
    metrics::HistogramSnapshot event_latency_seconds;  // receive time -> stored
    bool startup_complete = false;  // sinks opened and every enabled provider started
    bool shutting_down = false;
    ReloadSnapshot config;
    // Symbols by freshness state per tracked provider (freshness enabled), judged at now_ns.
    std::vector<status::ProviderSymbolCounts> symbols;
};

// The sum of a breakdown (published_by_type, dropped_by_reason, ...): the total it splits.
[[nodiscard]] inline std::uint64_t sum_of_counts(const std::map<std::string, std::uint64_t>& counts) {
    return std::accumulate(counts.begin(), counts.end(), std::uint64_t{0},
                           [](std::uint64_t sum, const auto& entry) { return sum + entry.second; });
}

}  // namespace mdp::status
