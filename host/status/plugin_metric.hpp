#pragma once
// One metric a provider declared through the metrics extension (plugin_api.h,
// MDP_HOST_METRICS_ID), as the snapshot carries it to /metrics and /api/v1/status.

#include <string>

namespace mdp::status {

enum class PluginMetricKind { counter, gauge };

struct PluginMetric {
    std::string name;  // as declared: [a-z][a-z0-9_]*; exposed as mdp_plugin_<plugin id>_<name>
    std::string help;
    PluginMetricKind kind = PluginMetricKind::counter;
    double value = 0.0;
};

}  // namespace mdp::status
