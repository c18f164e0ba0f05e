#include "app/config_reload.hpp"

#include <algorithm>
#include <tuple>

namespace mdp::app {

namespace {

// Appends `path` to `differences` when `running` and `next` differ.
template <typename Value>
void note_if_different(std::vector<std::string>& differences, const char* path, const Value& running,
                       const Value& next) {
    if (!(running == next)) {
        differences.emplace_back(path);
    }
}

auto sink_fields(const config::SinkConfig& sink) { return std::tie(sink.name, sink.type, sink.settings.value); }

bool same_sinks(const std::vector<config::SinkConfig>& running, const std::vector<config::SinkConfig>& next) {
    return std::equal(running.begin(), running.end(), next.begin(), next.end(),
                      [](const auto& left, const auto& right) { return sink_fields(left) == sink_fields(right); });
}

void note_store(std::vector<std::string>& out, const config::StoreConfig& running, const config::StoreConfig& next) {
    note_if_different(out, "store.queue_capacity", running.queue_capacity, next.queue_capacity);
    note_if_different(out, "store.batch_size", running.batch_size, next.batch_size);
    note_if_different(out, "store.flush_interval_ms", running.flush_interval_ms, next.flush_interval_ms);
    note_if_different(out, "store.overflow_policy", running.overflow_policy, next.overflow_policy);
    note_if_different(out, "store.shutdown_drain_timeout_ms", running.shutdown_drain_timeout_ms,
                      next.shutdown_drain_timeout_ms);
    note_if_different(out, "store.retry_initial_backoff_ms", running.retry_initial_backoff_ms,
                      next.retry_initial_backoff_ms);
    note_if_different(out, "store.retry_max_backoff_ms", running.retry_max_backoff_ms, next.retry_max_backoff_ms);
    if (!same_sinks(running.sinks, next.sinks)) {
        out.emplace_back("store.sinks");
    }
}

void note_backpressure(std::vector<std::string>& out, const config::BackpressureConfig& running,
                       const config::BackpressureConfig& next) {
    note_if_different(out, "backpressure.feedback_enabled", running.feedback_enabled, next.feedback_enabled);
    note_if_different(out, "backpressure.low_watermark_pct", running.low_watermark_pct, next.low_watermark_pct);
    note_if_different(out, "backpressure.high_watermark_pct", running.high_watermark_pct, next.high_watermark_pct);
    note_if_different(out, "backpressure.soft_band_pct", running.soft_band_pct, next.soft_band_pct);
    note_if_different(out, "backpressure.min_dwell_ms", running.min_dwell_ms, next.min_dwell_ms);
    const auto scales = [](const config::LevelScales& scales) { return std::tie(scales.ok, scales.soft, scales.hard); };
    note_if_different(out, "backpressure.scale", scales(running.scales), scales(next.scales));
    note_if_different(out, "backpressure.recovery_ramp_ms", running.recovery_ramp_ms, next.recovery_ramp_ms);
    note_if_different(out, "backpressure.coordinator_id", running.coordinator_id, next.coordinator_id);
    note_if_different(out, "backpressure.feedback_urls", running.feedback_urls, next.feedback_urls);
    note_if_different(out, "backpressure.feedback_timeout_ms", running.feedback_timeout_ms, next.feedback_timeout_ms);
    note_if_different(out, "backpressure.feedback_max_retries", running.feedback_max_retries,
                      next.feedback_max_retries);
}

void note_http_and_logging(std::vector<std::string>& out, const config::HostConfig& running,
                           const config::HostConfig& next) {
    const auto& a = running.http;
    const auto& b = next.http;
    note_if_different(out, "http.enabled", a.enabled, b.enabled);
    note_if_different(out, "http.bind_address", a.bind_address, b.bind_address);
    note_if_different(out, "http.port", a.port, b.port);
    note_if_different(out, "http.metrics_enabled", a.metrics_enabled, b.metrics_enabled);
    note_if_different(out, "http.max_connections", a.max_connections, b.max_connections);
    note_if_different(out, "http.max_header_bytes", a.max_header_bytes, b.max_header_bytes);
    note_if_different(out, "http.max_body_bytes", a.max_body_bytes, b.max_body_bytes);
    note_if_different(out, "http.read_timeout_ms", a.read_timeout_ms, b.read_timeout_ms);
    note_if_different(out, "http.idle_timeout_ms", a.idle_timeout_ms, b.idle_timeout_ms);
    note_if_different(out, "http.admin_token", a.admin_token, b.admin_token);
    note_if_different(out, "logging.level", running.logging.level, next.logging.level);
    note_if_different(out, "logging.format", running.logging.format, next.logging.format);
    note_if_different(out, "logging.file", running.logging.file, next.logging.file);
    // Providers read their shard once (their subscriptions are built on it): a new split is
    // a restart of every ingest host (docs/scale-out.md, "Changing the shard count").
    note_if_different(out, "shard", running.shard, next.shard);
}

auto provider_fields(const config::ProviderConfig& provider) {
    const auto& restart = provider.restart;
    return std::tie(provider.plugin, provider.enabled, provider.required, provider.config.value, provider.sha256,
                    restart.policy, restart.initial_backoff_ms, restart.max_backoff_ms, restart.max_attempts,
                    restart.reset_after_ms, restart.start_timeout_ms, restart.stop_timeout_ms);
}

const config::ProviderConfig* find_provider(const std::vector<config::ProviderConfig>& providers,
                                            const std::string& name) {
    const auto found = std::find_if(providers.begin(), providers.end(),
                                    [&](const config::ProviderConfig& provider) { return provider.name == name; });
    return found == providers.end() ? nullptr : &*found;
}

void plan_providers(ReloadPlan& plan, const config::HostConfig& running, const config::HostConfig& next) {
    for (const auto& current : running.providers) {
        const config::ProviderConfig* updated = find_provider(next.providers, current.name);
        if (updated == nullptr) {
            plan.providers.push_back({current.name, ProviderChangeKind::removed, nullptr});
            continue;
        }
        const auto scales = [](const config::ProviderConfig& provider) {
            return std::tie(provider.scale_ok, provider.scale_soft, provider.scale_hard);
        };
        if (scales(current) != scales(*updated)) {
            plan.not_live.push_back(updated->config.path.substr(0, updated->config.path.rfind('.')) + ".rate_scale");
        }
        const bool same = provider_fields(current) == provider_fields(*updated);
        plan.providers.push_back(
            {current.name, same ? ProviderChangeKind::unchanged : ProviderChangeKind::changed, updated});
    }
    for (const auto& candidate : next.providers) {
        if (find_provider(running.providers, candidate.name) == nullptr) {
            plan.providers.push_back({candidate.name, ProviderChangeKind::added, &candidate});
        }
    }
}

}  // namespace

ReloadPlan plan_reload(const config::HostConfig& running, const config::HostConfig& next) {
    ReloadPlan plan;
    note_if_different(plan.not_live, "plugin_path", running.plugin_path, next.plugin_path);
    note_if_different(plan.not_live, "plugin_security.allow_insecure_permissions",
                      running.allow_insecure_plugin_permissions, next.allow_insecure_plugin_permissions);
    note_store(plan.not_live, running.store, next.store);
    note_backpressure(plan.not_live, running.backpressure, next.backpressure);
    note_http_and_logging(plan.not_live, running, next);
    plan_providers(plan, running, next);
    return plan;
}

const char* to_string(ProviderChangeKind kind) {
    switch (kind) {
        case ProviderChangeKind::unchanged:
            return "unchanged";
        case ProviderChangeKind::changed:
            return "changed";
        case ProviderChangeKind::added:
            return "added";
        case ProviderChangeKind::removed:
            return "removed";
    }
    return "unchanged";
}

}  // namespace mdp::app
