#pragma once
// All configured provider instances, in config order (their index is the provider id in
// every StoreEvent), with the lifecycle operations the host applies to all of them.

#include "config/host_config.hpp"
#include "plugins/plugin_catalog.hpp"
#include "plugins/provider_instance.hpp"

#include <memory>
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
    // [control-thread] Stops (and joins) every started provider, in reverse order.
    void stop_all();
    // [control-thread] Destroys every instance and releases the plugins.
    void destroy_all();

    // "required provider <name> failed: <what>"
    static std::string required_failure_message(const ProviderInstance& instance, const std::string& what);
    // Some provider is abandoned after a plugin call that never returned.
    [[nodiscard]] bool any_hung() const;

    [[nodiscard]] std::vector<std::string> names() const;
    [[nodiscard]] std::vector<std::unique_ptr<ProviderInstance>>& instances() { return instances_; }
    [[nodiscard]] std::vector<app::ProviderSnapshot> snapshots() const;
    // [any-thread] The instance with this id (a StoreEvent's provider_id), or null.
    [[nodiscard]] ProviderInstance* find(std::uint32_t id) const;
    [[nodiscard]] ProviderInstance* find_by_name(const std::string& name) const;

    // After a failed create(): "<file>: providers[<i>].config.<path>: <message>" when the
    // plugin named the value (MDP_HOST_CONFIG_PROBLEM_ID), else
    // "<file>: providers[<i>].config: <error>".
    static std::string describe_config_error(const ProviderInstance& instance, const std::string& error);

   private:
    std::vector<std::unique_ptr<ProviderInstance>> instances_;
};

}  // namespace mdp::plugins
