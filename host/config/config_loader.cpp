#include "config/config_loader.hpp"

#include "common/http_url.hpp"
#include "config/bar_interval.hpp"
#include "config/env_overrides.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace mdp::config {

namespace {

const std::vector<std::string> kLogLevels = {"trace", "debug", "info", "warn", "error", "critical", "off"};

std::string line_and_column(const std::string& text, std::size_t byte_offset) {
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t index = 0; index < text.size() && index + 1 < byte_offset; ++index) {
        if (text[index] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::string parse_error_reason(const std::string& what) {
    // nlohmann's message: "[json.exception.parse_error.101] parse error at line 3, column 5: <reason>"
    const auto colon = what.find(": ", what.find("parse error"));
    return colon == std::string::npos ? what : what.substr(colon + 2);
}

// nlohmann's message without its "[json.exception.<kind>.<id>] " prefix.
std::string without_exception_id(const std::string& what) {
    const auto end = what.find("] ");
    return what.rfind("[json.exception.", 0) == 0 && end != std::string::npos ? what.substr(end + 2) : what;
}

nlohmann::json parse_json(const std::string& text, const std::string& file) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& error) {
        throw ConfigError(file, line_and_column(text, error.byte), "invalid JSON: " + parse_error_reason(error.what()));
    } catch (const nlohmann::json::out_of_range& error) {
        // A number too large for a double ("1e999"): nlohmann reports it without a position.
        throw ConfigError(file, "", "invalid JSON: " + without_exception_id(error.what()));
    }
}

void read_http(JsonNode node, HttpConfig& http) {
    http.enabled = node.get_bool("enabled", http.enabled);
    http.bind_address = node.get_string("bind_address", http.bind_address);
    http.port = static_cast<std::uint16_t>(node.get_int("port", 0, 65535, http.port));
    http.metrics_enabled = node.get_bool("metrics_enabled", http.metrics_enabled);
    http.max_connections = static_cast<std::size_t>(node.get_int("max_connections", 1, 100000, 256));
    http.max_header_bytes = static_cast<std::size_t>(node.get_int("max_header_bytes", 1024, 1 << 20, 16384));
    http.max_body_bytes = static_cast<std::size_t>(node.get_int("max_body_bytes", 0, 16 << 20, 65536));
    http.read_timeout_ms = node.get_int("read_timeout_ms", 100, 600000, http.read_timeout_ms);
    http.idle_timeout_ms = node.get_int("idle_timeout_ms", 100, 3600000, http.idle_timeout_ms);
    http.admin_token = node.get_string("admin_token", http.admin_token);
    node.finish();
}

void read_logging(JsonNode node, LoggingConfig& logging) {
    logging.level = node.get_enum("level", kLogLevels, logging.level);
    logging.format = node.get_enum("format", {"text", "json"}, logging.format);
    logging.file = node.get_string("file", logging.file);
    node.finish();
}

void read_sinks(JsonNode& store, StoreConfig& config) {
    std::set<std::string> names;
    for (auto& sink : store.child_array("sinks")) {
        SinkConfig entry;
        entry.type = sink.get_enum("type", {"null", "jsonl", "sqlite", "postgres", "nats"});
        entry.name = sink.get_string("name", entry.type);
        if (!names.insert(entry.name).second) {
            sink.fail_at("name", "duplicate sink name \"" + entry.name + "\"; expected unique names");
        }
        entry.settings.value = sink.raw();
        entry.settings.path = sink.path();
        config.sinks.push_back(std::move(entry));
    }
}

void read_store(JsonNode node, StoreConfig& store) {
    store.queue_capacity = static_cast<std::size_t>(node.get_int("queue_capacity", 1, 100'000'000, 10000));
    store.batch_size = static_cast<std::size_t>(node.get_int("batch_size", 1, 1'000'000, 500));
    store.flush_interval_ms = node.get_int("flush_interval_ms", 1, 600000, store.flush_interval_ms);
    store.coalesce_wait_us = node.get_int("coalesce_wait_us", 0, 600'000'000, store.coalesce_wait_us);
    if (store.coalesce_wait_us > store.flush_interval_ms * 1000) {
        node.fail_at("coalesce_wait_us", "expected at most flush_interval_ms * 1000 (" +
                                             std::to_string(store.flush_interval_ms * 1000) + ")");
    }
    const std::string policy = node.get_enum("overflow_policy", {"block", "drop_oldest", "drop_newest"}, "block");
    store.overflow_policy = policy == "drop_oldest"   ? OverflowPolicy::drop_oldest
                            : policy == "drop_newest" ? OverflowPolicy::drop_newest
                                                      : OverflowPolicy::block;
    store.shutdown_drain_timeout_ms =
        node.get_int("shutdown_drain_timeout_ms", 0, 3'600'000, store.shutdown_drain_timeout_ms);
    store.retry_initial_backoff_ms =
        node.get_int("retry_initial_backoff_ms", 1, 600000, store.retry_initial_backoff_ms);
    store.retry_max_backoff_ms = node.get_int("retry_max_backoff_ms", 1, 3'600'000, store.retry_max_backoff_ms);
    if (store.retry_max_backoff_ms < store.retry_initial_backoff_ms) {
        node.fail_at("retry_max_backoff_ms", "expected at least retry_initial_backoff_ms (" +
                                                 std::to_string(store.retry_initial_backoff_ms) + ")");
    }
    if (store.batch_size > store.queue_capacity) {
        node.fail_at("batch_size", "expected at most queue_capacity (" + std::to_string(store.queue_capacity) + ")");
    }
    read_sinks(node, store);
    node.finish();
}

void read_scales(JsonNode node, LevelScales& scales) {
    scales.ok = node.get_double("ok", 0.0, 1.0, scales.ok);
    scales.soft = node.get_double("soft", 0.0, 1.0, scales.soft);
    scales.hard = node.get_double("hard", 0.0, 1.0, scales.hard);
    node.finish();
}

void read_backpressure(JsonNode node, BackpressureConfig& config) {
    config.feedback_enabled = node.get_bool("feedback_enabled", config.feedback_enabled);
    config.low_watermark_pct = node.get_double("low_watermark_pct", 0.0, 1.0, config.low_watermark_pct);
    config.high_watermark_pct = node.get_double("high_watermark_pct", 0.0, 1.0, config.high_watermark_pct);
    if (config.low_watermark_pct >= config.high_watermark_pct) {
        node.fail_at("low_watermark_pct",
                     "expected less than high_watermark_pct (" + std::to_string(config.high_watermark_pct) + ")");
    }
    config.soft_band_pct = node.get_double("soft_band_pct", 0.0, 1.0, config.soft_band_pct);
    config.min_dwell_ms = node.get_int("min_dwell_ms", 0, 60'000, config.min_dwell_ms);
    read_scales(node.child_object("scale"), config.scales);
    config.recovery_ramp_ms = node.get_int("recovery_ramp_ms", 0, 3'600'000, config.recovery_ramp_ms);
    config.coordinator_id = node.get_string("coordinator_id", config.coordinator_id);
    config.feedback_urls = node.get_string_list("feedback_urls", {});
    for (std::size_t index = 0; index < config.feedback_urls.size(); ++index) {
        try {
            common::parse_http_url(config.feedback_urls[index]);
        } catch (const std::invalid_argument& error) {
            node.fail_at("feedback_urls[" + std::to_string(index) + "]", error.what());
        }
    }
    config.feedback_timeout_ms = node.get_int("feedback_timeout_ms", 1, 60000, config.feedback_timeout_ms);
    config.feedback_max_retries = node.get_int("feedback_max_retries", 0, 100, config.feedback_max_retries);
    node.finish();
}

void read_provider_scales(JsonNode node, ProviderConfig& provider) {
    const auto optional_scale = [&node](const char* key) -> std::optional<double> {
        if (!node.has(key)) {
            node.accept(key);
            return std::nullopt;
        }
        return node.get_double(key, 0.0, 1.0);
    };
    provider.scale_ok = optional_scale("ok");
    provider.scale_soft = optional_scale("soft");
    provider.scale_hard = optional_scale("hard");
    node.finish();
}

void read_restart(JsonNode node, RestartConfig& restart) {
    const std::string policy = node.get_enum("policy", {"never", "on-failure", "always"}, "on-failure");
    restart.policy = policy == "never"    ? RestartPolicy::never
                     : policy == "always" ? RestartPolicy::always
                                          : RestartPolicy::on_failure;
    restart.initial_backoff_ms = node.get_int("initial_backoff_ms", 1, 3'600'000, restart.initial_backoff_ms);
    restart.max_backoff_ms = node.get_int("max_backoff_ms", 1, 86'400'000, restart.max_backoff_ms);
    if (restart.max_backoff_ms < restart.initial_backoff_ms) {
        node.fail_at("max_backoff_ms",
                     "expected at least initial_backoff_ms (" + std::to_string(restart.initial_backoff_ms) + ")");
    }
    restart.max_attempts = node.get_int("max_attempts", 0, 1'000'000, restart.max_attempts);
    restart.reset_after_ms = node.get_int("reset_after_ms", 0, 86'400'000, restart.reset_after_ms);
    restart.start_timeout_ms = node.get_int("start_timeout_ms", 10, 3'600'000, restart.start_timeout_ms);
    restart.stop_timeout_ms = node.get_int("stop_timeout_ms", 10, 3'600'000, restart.stop_timeout_ms);
    node.finish();
}

void read_freshness(JsonNode node, FreshnessConfig& freshness) {
    freshness.enabled = node.get_bool("enabled", freshness.enabled);
    freshness.stale_after_seconds =
        node.get_int("stale_after_seconds", 1, std::int64_t{7} * 86'400, freshness.stale_after_seconds);
    const std::string hours = node.get_string("trading_hours", "");
    if (!hours.empty()) {
        try {
            freshness.trading_hours = common::TradingHours::parse(hours);
        } catch (const std::invalid_argument& error) {
            node.fail_at("trading_hours", error.what());
        }
    }
    freshness.max_symbols = static_cast<std::size_t>(node.get_int("max_symbols", 1, 10'000'000, 100000));
    node.finish();
}

// More intervals than this per provider is a mistake, and each one costs an open bar per symbol.
constexpr std::size_t kMaxBarIntervals = 16;

void read_bar_intervals(JsonNode& node, BarsConfig& bars) {
    const std::vector<std::string> texts = node.get_string_list("intervals", {});
    if (texts.size() > kMaxBarIntervals) {
        node.fail_at("intervals", "expected at most " + std::to_string(kMaxBarIntervals) + " intervals, found " +
                                      std::to_string(texts.size()));
    }
    for (std::size_t index = 0; index < texts.size(); ++index) {
        const std::string key = "intervals[" + std::to_string(index) + "]";
        const std::optional<std::int64_t> interval_ns = parse_bar_interval_ns(texts[index]);
        if (!interval_ns) {
            node.fail_at(key, "expected " + std::string(kBarIntervalExpectation) + ", found \"" + texts[index] + "\"");
        }
        for (std::size_t earlier = 0; earlier < index; ++earlier) {
            if (bars.intervals_ns[earlier] == *interval_ns) {
                node.fail_at(key, "duplicate interval \"" + texts[index] + "\" (the same as intervals[" +
                                      std::to_string(earlier) + "]); expected distinct intervals");
            }
        }
        bars.intervals_ns.push_back(*interval_ns);
    }
    std::sort(bars.intervals_ns.begin(), bars.intervals_ns.end());
}

void read_bars(JsonNode node, BarsConfig& bars) {
    read_bar_intervals(node, bars);
    const std::string source = node.get_enum("from", {"trades", "quotes_mid"}, "trades");
    bars.source = source == "quotes_mid" ? BarSource::quotes_mid : BarSource::trades;
    bars.grace_ms = node.get_int("grace_ms", 0, 60'000, bars.grace_ms);
    node.finish();
}

// A runner needs some address space for itself and the plugin's threads' stacks.
constexpr std::int64_t kMinMemoryMb = 16;
constexpr std::int64_t kMaxMemoryMb = std::int64_t{1024} * 1024;

void read_isolation(JsonNode& node, ProviderConfig& provider) {
    const std::string isolation = node.get_enum("isolation", {"in_process", "process"}, "in_process");
    provider.isolation = isolation == "process" ? Isolation::process : Isolation::in_process;
    if (node.has("limits") && provider.isolation != Isolation::process) {
        node.fail_at("limits", "expected no limits: they apply only with \"isolation\": \"process\"");
    }
    JsonNode limits = node.child_object("limits");
    provider.limits.memory_bytes =
        static_cast<std::uint64_t>(limits.get_int("memory_mb", kMinMemoryMb, kMaxMemoryMb, 0)) * 1024U * 1024U;
    provider.limits.nice = static_cast<int>(limits.get_int("nice", 0, 19, 0));
    limits.finish();
}

// Limits the shard count to what an operator could run; the index must name one of them.
constexpr std::int64_t kMaxShards = 1024;

void read_shard(JsonNode node, ShardConfig& shard) {
    shard.count = static_cast<std::uint32_t>(node.get_int("count", 1, kMaxShards, 1));
    shard.index = static_cast<std::uint32_t>(node.get_int("index", 0, kMaxShards - 1, 0));
    if (shard.index >= shard.count) {
        node.fail_at("index", "expected a shard index below count (" + std::to_string(shard.count) + "), found " +
                                  std::to_string(shard.index));
    }
    node.finish();
}

void read_providers(JsonNode& root, HostConfig& config, const std::shared_ptr<const ConfigOrigin>& origin) {
    std::set<std::string> names;
    for (auto& node : root.child_array("providers")) {
        ProviderConfig provider;
        provider.name = node.get_string("name");
        if (provider.name.empty() || provider.name.size() > 64 ||
            provider.name.find_first_of("\"\\\n\r\t ") != std::string::npos) {
            node.fail_at("name", "expected 1-64 characters without spaces, quotes or backslashes");
        }
        if (!names.insert(provider.name).second) {
            node.fail_at("name", "duplicate provider name \"" + provider.name + "\"; expected unique names");
        }
        provider.plugin = node.get_string("plugin");
        provider.sha256 = node.get_string("sha256", "");
        if (!provider.sha256.empty() && (provider.sha256.size() != 64 ||
                                         provider.sha256.find_first_not_of("0123456789abcdef") != std::string::npos)) {
            node.fail_at("sha256", "expected 64 lowercase hex digits (sha256sum of the plugin file)");
        }
        provider.enabled = node.get_bool("enabled", true);
        provider.required = node.get_bool("required", false);
        JsonNode plugin_config = node.child_object("config");
        provider.config.value = plugin_config.raw();
        provider.config.path = plugin_config.path();
        provider.config.origin = origin;
        read_provider_scales(node.child_object("rate_scale"), provider);
        read_restart(node.child_object("restart"), provider.restart);
        read_freshness(node.child_object("freshness"), provider.freshness);
        read_bars(node.child_object("bars"), provider.bars);
        read_isolation(node, provider);
        node.finish();
        config.providers.push_back(std::move(provider));
    }
}

std::string resolve_against(const std::filesystem::path& base, const std::string& path) {
    const std::filesystem::path candidate(path);
    return (candidate.is_absolute() ? candidate : base / candidate).lexically_normal().string();
}

}  // namespace

HostConfig parse_host_config(const std::string& text, const std::filesystem::path& file,
                             const std::map<std::string, std::string>& environment,
                             const ConfigKeyListener& key_listener) {
    auto origin = std::make_shared<ConfigOrigin>();
    origin->file = file.string();
    origin->key_listener = key_listener;
    nlohmann::json document = parse_json(text, origin->file);
    if (!document.is_object()) {
        throw ConfigError(origin->file, "(top level)", "expected a JSON object, found " + describe_json_type(document));
    }
    HostConfig config;
    config.source_file = origin->file;
    config.notices = apply_env_overrides(document, environment, *origin);
    std::shared_ptr<const ConfigOrigin> shared_origin = origin;

    JsonNode root(document, "", shared_origin);
    const auto base = std::filesystem::absolute(file).parent_path();
    for (const auto& directory : root.get_string_list("plugin_path", {})) {
        config.plugin_path.push_back(resolve_against(base, directory));
    }
    {
        JsonNode security = root.child_object("plugin_security");
        config.allow_insecure_plugin_permissions = security.get_bool("allow_insecure_permissions", false);
        security.finish();
    }
    read_http(root.child_object("http"), config.http);
    read_logging(root.child_object("logging"), config.logging);
    if (!config.logging.file.empty()) {
        config.logging.file = resolve_against(base, config.logging.file);
    }
    read_store(root.child_object("store"), config.store);
    for (auto& sink : config.store.sinks) {
        sink.settings.origin = shared_origin;
    }
    read_backpressure(root.child_object("backpressure"), config.backpressure);
    read_shard(root.child_object("shard"), config.shard);
    read_providers(root, config, shared_origin);
    for (auto& provider : config.providers) {
        provider.shard = config.shard;
    }
    root.finish();
    return config;
}

HostConfig load_host_config(const std::filesystem::path& file, const std::map<std::string, std::string>& environment) {
    std::ifstream stream(file, std::ios::binary);
    if (!stream) {
        throw ConfigError(file.string(), "", "cannot read the config file (does it exist and is it readable?)");
    }
    std::ostringstream text;
    text << stream.rdbuf();
    return parse_host_config(text.str(), file, environment);
}

}  // namespace mdp::config
