#pragma once
// All configured provider instances, in config order (their index is the provider id in
// every StoreEvent), with the lifecycle operations the host applies to all of them.

#include "config/host_config.hpp"
#include "plugins/plugin_catalog.hpp"
#include "plugins/provider_instance.hpp"

#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

namespace mdp::plugins {

class ProviderRegistry {
   public:
    ProviderRegistry(const config::HostConfig& config, PublishTarget target);
    ~ProviderRegistry();

    // [control-thread] Resolves each enabled provider's plugin and creates the instance.
    // Failures are recorded as the provider's failed state. Returns the first failure of a
    // required provider as a message ("" when none).
    std::string create_all(PluginCatalog& catalog);
    // [control-thread] Starts every created provider; same return convention.
    std::string start_all();
    // [control-thread] Stops every started provider, all at once (each on its own thread, so
    // the whole stop takes as long as the slowest one, bounded by its stop deadline), and
    // returns when every stop() returned or was abandoned.
    void stop_all();
    // [bar timer thread] Closes every instance's bars that are due at `now_ns` (retired ones'
    // too: what they published before they were removed still closes on time); returns when
    // the next one is due (pipeline::BarBuilder::kNothingDue when none is open).
    std::int64_t close_due_bars(std::int64_t now_ns);
    // [control-thread, after stop_all(), before the queue closes] Runs `stop_timer` (the bar
    // timer, which must not close bars meanwhile), then queues every open bar. Bounded like a
    // provider's stop: when that has not finished after half of the longest
    // restart.stop_timeout_ms, at least 1 s (the store queue stays full under `block`), every instance's
    // publishes stop waiting for space, and bars that do not fit are dropped (reason shutdown).
    void flush_bars(const std::function<void()>& stop_timer);
    // Events dropped with reason shutdown, over all instances.
    [[nodiscard]] std::uint64_t shutdown_drops() const;
    // [control-thread] Destroys every instance and releases the plugins.
    void destroy_all();

    // "required provider <name> failed: <what>"
    static std::string required_failure_message(const ProviderInstance& instance, const std::string& what);
    // Some provider is abandoned after a plugin call that never returned.
    [[nodiscard]] bool any_hung() const;

    [[nodiscard]] std::vector<std::string> names() const;
    [[nodiscard]] std::vector<std::unique_ptr<ProviderInstance>>& instances() { return instances_; }
    // The instances in the config (retired ones only with `include_retired`, named
    // "<name> (removed)" so that they never collide with a later instance of that name).
    [[nodiscard]] std::vector<status::ProviderSnapshot> snapshots(bool include_retired = false) const;
    // [any-thread] The instance with this id (a StoreEvent's provider_id), or null.
    [[nodiscard]] ProviderInstance* find(std::uint32_t id) const;
    [[nodiscard]] ProviderInstance* find_by_name(const std::string& name) const;

    // [control-thread] Validates `provider` exactly as a start would: resolves its plugin and
    // creates (then destroys) an instance with its config, which never publishes. Returns ""
    // or the error ("<file>: providers[<i>].config...", or the plugin load error).
    static std::string probe(PluginCatalog& catalog, const config::ProviderConfig& provider);

    // [control-thread] Adds an instance for `provider` (the next id) and returns it; not yet
    // created. Readers on other threads see it once this returns.
    ProviderInstance& add(const config::ProviderConfig& provider);

    // After a failed create(): "<file>: providers[<i>].config.<path>: <message>" when the
    // plugin named the value (MDP_HOST_CONFIG_PROBLEM_ID), "<file>: providers[<i>].isolation:
    // <error>" when an isolated provider's runner failed, else
    // "<file>: providers[<i>].config: <error>".
    static std::string describe_config_error(const ProviderInstance& instance, const std::string& error);

   private:
    PublishTarget target_;
    // Guards the vector itself (instances are added by reloads, never removed: a retired
    // instance keeps its id); the control thread adds, other threads read through find()
    // and snapshots().
    mutable std::shared_mutex instances_mutex_;
    std::vector<std::unique_ptr<ProviderInstance>> instances_;
    // close_due_bars()' copy of the instances, so that it queues bars without holding
    // instances_mutex_ (add() must not wait for a full queue); reused, so it allocates only
    // when instances were added.
    std::vector<ProviderInstance*> bar_timer_instances_;
};

}  // namespace mdp::plugins
