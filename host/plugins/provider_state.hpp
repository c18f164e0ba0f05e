#pragma once
// Provider lifecycle states (values shared with the ABI's MDP_STATE_*).

#include <mdp/plugin_api.h>

#include <optional>
#include <string_view>

namespace mdp::plugins {

enum class ProviderState : int {
    loaded = MDP_STATE_LOADED,
    starting = MDP_STATE_STARTING,
    running = MDP_STATE_RUNNING,
    degraded = MDP_STATE_DEGRADED,
    stopping = MDP_STATE_STOPPING,
    stopped = MDP_STATE_STOPPED,
    failed = MDP_STATE_FAILED,
};

inline constexpr ProviderState kAllProviderStates[] = {
    ProviderState::loaded,   ProviderState::starting, ProviderState::running, ProviderState::degraded,
    ProviderState::stopping, ProviderState::stopped,  ProviderState::failed};

constexpr std::string_view to_string(ProviderState state) {
    switch (state) {
        case ProviderState::loaded:
            return "loaded";
        case ProviderState::starting:
            return "starting";
        case ProviderState::running:
            return "running";
        case ProviderState::degraded:
            return "degraded";
        case ProviderState::stopping:
            return "stopping";
        case ProviderState::stopped:
            return "stopped";
        case ProviderState::failed:
            return "failed";
    }
    return "failed";
}

// The states a plugin may report itself through mdp_host_t.report_state.
constexpr std::optional<ProviderState> reportable_state(int value) {
    switch (value) {
        case MDP_STATE_RUNNING:
            return ProviderState::running;
        case MDP_STATE_DEGRADED:
            return ProviderState::degraded;
        case MDP_STATE_FAILED:
            return ProviderState::failed;
        default:
            return std::nullopt;
    }
}

}  // namespace mdp::plugins
