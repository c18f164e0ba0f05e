#pragma once
// What a config reload would change, decided before anything is applied: the host settings
// that cannot change while the host runs (each named by its JSON path), and per provider
// instance whether it is added, removed, changed or unchanged. Pure: no plugin is loaded.

#include "config/host_config.hpp"

#include <string>
#include <vector>

namespace mdp::app {

enum class ProviderChangeKind { unchanged, changed, added, removed };

struct ProviderChange {
    std::string name;
    ProviderChangeKind kind = ProviderChangeKind::unchanged;
    const config::ProviderConfig* next = nullptr;  // into the new config; null when removed
};

struct ReloadPlan {
    // JSON paths of settings that differ but cannot change live, e.g. "http.port",
    // "store.sinks"; a reload with any is refused.
    std::vector<std::string> not_live;
    std::vector<ProviderChange> providers;  // running config order, then added ones
};

// [control-thread] Compares the running config with the freshly loaded `next` (which must
// outlive the plan).
ReloadPlan plan_reload(const config::HostConfig& running, const config::HostConfig& next);

const char* to_string(ProviderChangeKind kind);

}  // namespace mdp::app
