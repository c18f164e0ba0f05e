#pragma once
// Applies a config reload on the control thread: re-reads the config file and the MDP_*
// environment exactly as at start, validates everything (host settings, then every added
// or changed provider by creating a probe instance of its plugin), and applies nothing
// unless all of it is valid. Then: removed providers stop (losslessly) and retire, changed
// ones are reconfigured (in place through the plugin's extension, else stop + start),
// added ones are created and started. Settings that cannot change live refuse the reload,
// named. A plugin file replaced on disk loads as a new library for the instances using it.

#include "app/config_reload.hpp"
#include "status/host_snapshot.hpp"
#include "status/control_result.hpp"
#include "config/host_config.hpp"
#include "pipeline/rate_control.hpp"
#include "pipeline/symbol_tracker.hpp"
#include "plugins/plugin_catalog.hpp"
#include "plugins/provider_registry.hpp"
#include "plugins/provider_supervisor.hpp"
#include "sinks/sink.hpp"

#include <mutex>
#include <string>

namespace mdp::app {

struct ReloadTargets {
    config::HostConfig* running = nullptr;  // replaced by the new config once applied
    plugins::PluginCatalog* catalog = nullptr;
    plugins::ProviderRegistry* providers = nullptr;
    plugins::ProviderSupervisor* supervisor = nullptr;
    pipeline::RateControl* rate_control = nullptr;
    sinks::ProviderNames provider_names;  // shared with the sinks
    pipeline::SymbolTracker* symbols = nullptr;  // freshness rules apply live
};

class ConfigReloader {
   public:
    explicit ConfigReloader(ReloadTargets targets) : targets_(std::move(targets)) {}

    // [control-thread] One reload; `requester` ("SIGHUP" or the HTTP peer) is logged. The
    // result: 200 applied (details: per provider what happened), 422 invalid or not live
    // (nothing changed), 500 applied with failures (details say which).
    status::ControlResult reload(const std::string& requester);

    // [any-thread]
    [[nodiscard]] status::ReloadSnapshot snapshot() const;

   private:
    struct Validated;
    status::ControlResult refuse(const std::string& requester, const std::string& message);
    status::ControlResult apply(const std::string& requester, config::HostConfig next, const ReloadPlan& plan,
                                Validated& validated);
    // Freshness rules need no restart: they apply to the provider's symbols at once.
    void apply_freshness(const ProviderChange& change);
    void record(bool success, const std::string& message, bool applied);

    ReloadTargets targets_;
    mutable std::mutex mutex_;  // guards state_
    status::ReloadSnapshot state_;
};

}  // namespace mdp::app
