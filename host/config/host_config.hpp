#pragma once
// The validated host configuration: plain values with defaults, produced by
// load_host_config() from one JSON file plus MDP_* environment variables.
// docs/configuration.md documents every field; docs/config.schema.json is its JSON Schema.

#include "common/trading_hours.hpp"
#include "config/json_node.hpp"
#include "config/overflow_policy.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mdp::config {

// A section whose fields the owning component validates itself (sinks, provider configs):
// the raw JSON plus where it came from, so errors still name file and path.
struct RawSection {
    nlohmann::json value = nlohmann::json::object();
    std::string path;  // JSON path of `value`, e.g. "store.sinks[0]"
    std::shared_ptr<const ConfigOrigin> origin = std::make_shared<ConfigOrigin>();

    [[nodiscard]] JsonNode node() const { return {value, path, origin}; }
};

struct SinkConfig {
    std::string name;  // unique among sinks; defaults to the type
    std::string type;  // "null", "jsonl", "sqlite", "postgres", "nats"
    RawSection settings;  // the whole sink object, type-specific keys included
};

struct StoreConfig {
    std::size_t queue_capacity = 10000;
    // Group commit (pipeline/batching_rule.hpp): a write starts at once when batch_size
    // events are queued, else once the oldest has waited coalesce_wait_us; flush_interval_ms
    // bounds that wait (coalesce_wait_us <= flush_interval_ms * 1000).
    std::size_t batch_size = 500;
    std::int64_t flush_interval_ms = 250;
    std::int64_t coalesce_wait_us = 0;
    OverflowPolicy overflow_policy = OverflowPolicy::block;
    // How long a shutdown may spend draining into a failing sink before giving up (and
    // reporting what was not stored).
    std::int64_t shutdown_drain_timeout_ms = 30000;
    std::int64_t retry_initial_backoff_ms = 100;
    std::int64_t retry_max_backoff_ms = 5000;
    std::vector<SinkConfig> sinks;
};

struct LevelScales {
    double ok = 1.0;
    double soft = 0.5;
    double hard = 0.0;
};

struct BackpressureConfig {
    bool feedback_enabled = true;  // MDP_FB_ENABLE_FEEDBACK
    double low_watermark_pct = 0.5;  // MDP_LOW_WATERMARK_PCT, fraction of capacity
    double high_watermark_pct = 0.8;  // MDP_HIGH_WATERMARK_PCT
    // Hysteresis (docs/configuration.md says why these defaults): OK -> SOFT only above
    // low + soft_band_pct of capacity; every level held min_dwell_ms except entering HARD.
    double soft_band_pct = 0.05;
    std::int64_t min_dwell_ms = 1000;
    LevelScales scales;  // MDP_FB_SCALE_OK/SOFT/HARD
    std::int64_t recovery_ramp_ms = 0;  // 0 = jump straight back to the OK scale
    std::string coordinator_id = "store_coordinator";
    std::vector<std::string> feedback_urls;  // optional cross-process delivery (HTTP POST)
    std::int64_t feedback_timeout_ms = 1000;
    std::int64_t feedback_max_retries = 3;
};

struct HttpConfig {
    bool enabled = true;
    std::string bind_address = "0.0.0.0";
    std::uint16_t port = 8000;
    bool metrics_enabled = true;  // MDP_METRICS_ENABLE
    std::size_t max_connections = 256;
    std::size_t max_header_bytes = 16384;
    std::size_t max_body_bytes = 65536;
    std::int64_t read_timeout_ms = 10000;
    std::int64_t idle_timeout_ms = 60000;
    std::string admin_token;  // MDP_ADMIN_TOKEN; empty = control endpoints absent
};

struct LoggingConfig {
    std::string level = "info";  // trace, debug, info, warn, error, critical, off
    std::string format = "text";  // text or json (one JSON object per line)
    std::string file;  // empty = stderr
};

enum class RestartPolicy { never, on_failure, always };

// Supervision of one provider instance (provider_supervisor.hpp).
struct RestartConfig {
    RestartPolicy policy = RestartPolicy::on_failure;
    std::int64_t initial_backoff_ms = 1000;
    std::int64_t max_backoff_ms = 300000;
    std::int64_t max_attempts = 10;  // consecutive restarts before it stays failed; 0 = unlimited
    std::int64_t reset_after_ms = 60000;  // running this long forgives earlier failures
    std::int64_t start_timeout_ms = 10000;
    std::int64_t stop_timeout_ms = 10000;
};

// Per-symbol freshness of one provider instance (pipeline/symbol_tracker.hpp,
// docs/data-quality.md).
struct FreshnessConfig {
    bool enabled = true;
    // A symbol with no event for longer than this while its market is open is stale.
    std::int64_t stale_after_seconds = 60;
    // When the market is open; unset = always (no symbol is ever "closed").
    std::optional<common::TradingHours> trading_hours;
    // Symbols tracked at most; later new symbols are counted as untracked, not stored.
    std::size_t max_symbols = 100000;
};

// Where the host's bar operator takes its prices from (docs/data-quality.md, "Bars from ticks").
enum class BarSource {
    trades,  // each trade's price and size; VWAP = sum(price * size) / sum(size)
    quotes_mid,  // each quote's (bid + ask) / 2; volume 0, trade_count 0, VWAP unknown (NaN)
};

[[nodiscard]] constexpr const char* to_string(BarSource source) {
    return source == BarSource::quotes_mid ? "quotes_mid" : "trades";
}

// Bars the host builds from one provider instance's published ticks and publishes as that
// provider's bar events (plugins/bar_operator.hpp).
struct BarsConfig {
    std::vector<std::int64_t> intervals_ns;  // ascending, distinct, each divides a day; empty = off
    BarSource source = BarSource::trades;
    // How long after an interval's end the timer waits for its ticks before closing the bar
    // (a tick of a later interval of the same symbol closes it at once).
    std::int64_t grace_ms = 1000;

    [[nodiscard]] bool enabled() const { return !intervals_ns.empty(); }
    bool operator==(const BarsConfig&) const = default;
};

// This host's share of the configured work when several ingest hosts split it (plugin_api.h,
// MDP_HOST_SHARD_ID): every provider reads only the keys shard `index` of `count` owns.
struct ShardConfig {
    std::uint32_t index = 0;  // 0 .. count - 1
    std::uint32_t count = 1;  // 1 = not sharded
    bool operator==(const ShardConfig&) const = default;
};

// Where a provider instance's plugin code runs (docs/isolation.md).
enum class Isolation { in_process, process };

constexpr std::string_view to_string(Isolation isolation) {
    return isolation == Isolation::process ? "process" : "in_process";
}

// Limits of an isolated provider's runner process (`limits`, with "isolation": "process").
struct IsolationLimits {
    std::uint64_t memory_bytes = 0;  // the runner's address space (RLIMIT_AS); 0 = none
    int nice = 0;  // 0..19, added to the host's niceness
    bool operator==(const IsolationLimits&) const = default;
};

struct ProviderConfig {
    std::string name;  // instance name; the `provider` metric label
    std::string plugin;  // plugin id, or a file name inside a plugin directory
    bool enabled = true;
    bool required = false;
    RawSection config;  // passed to the plugin as JSON text
    std::string sha256;  // optional pin of the plugin file's SHA-256 (lowercase hex)
    RestartConfig restart;
    FreshnessConfig freshness;
    BarsConfig bars;
    // Per-provider override of the level -> rate scale mapping (unset = global).
    std::optional<double> scale_ok;
    std::optional<double> scale_soft;
    std::optional<double> scale_hard;
    ShardConfig shard;  // the host's `shard`, copied here for the instance's host extension
    Isolation isolation = Isolation::in_process;
    IsolationLimits limits;  // only with Isolation::process

    // Whether the instance's plugin runs in a runner process (its code never in the host).
    [[nodiscard]] bool isolated() const { return isolation == Isolation::process; }
};

struct HostConfig {
    std::string source_file;  // the config file as given
    std::vector<std::string> plugin_path;  // absolute, resolved against the config file's dir
    bool allow_insecure_plugin_permissions = false;  // plugin_security; development only
    StoreConfig store;
    BackpressureConfig backpressure;
    HttpConfig http;
    LoggingConfig logging;
    ShardConfig shard;
    std::vector<ProviderConfig> providers;
    std::vector<std::string> notices;  // accepted-but-ignored settings, logged at start
};

}  // namespace mdp::config
