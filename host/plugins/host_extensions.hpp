#pragma once
// The host extensions one provider instance offers through mdp_host_t.get_extension
// (plugin_api.h, "host extensions"): where the config file is, a channel for a failing
// create() to name the config value it rejects as data, and (when the instance offers them)
// stored acknowledgements and publishing with an identity, the host's shard, and the
// provider's own metrics.

#include "config/host_config.hpp"
#include "plugins/provider_metrics.hpp"

#include <mdp/plugin_api.h>

#include <mutex>
#include <optional>
#include <string>

namespace mdp::plugins {

// What a plugin reported through MDP_HOST_CONFIG_PROBLEM_ID.
struct ReportedConfigProblem {
    std::string json_path;  // relative to the instance's "config" object; "" = the object
    std::string message;  // "expected ..., found ..."
};

class HostExtensions {
   public:
    // `config_file` is the host config file as named on the command line ("" when none);
    // `shard` is offered under MDP_HOST_SHARD_ID; `provider_name` names the instance in logs.
    HostExtensions(const std::string& config_file, const config::ShardConfig& shard, std::string provider_name = {});
    HostExtensions(const HostExtensions&) = delete;
    HostExtensions& operator=(const HostExtensions&) = delete;

    // [any-thread] The extension table for `id`, or nullptr. Lives as long as this object.
    [[nodiscard]] const void* find(const char* id) const;

    // [control-thread, before the plugin sees the host table] Offers these tables under
    // MDP_HOST_STORED_ACKS_ID / MDP_HOST_PUBLISH_IDENTIFIED_ID (NULL: not offered). Static.
    void offer_publish_extensions(const mdp_host_stored_acks_t* stored_acks,
                                  const mdp_host_publish_identified_t* publish_identified) {
        stored_acks_ = stored_acks;
        publish_identified_ = publish_identified;
    }

    // [control-thread] Around a factory create(): forget an earlier report, then take the
    // one made during the call.
    void clear_config_problem();
    [[nodiscard]] std::optional<ReportedConfigProblem> take_config_problem();

    // What the provider declared under MDP_HOST_METRICS_ID (cleared before each create()).
    [[nodiscard]] ProviderMetrics& metrics() { return metrics_; }
    [[nodiscard]] const ProviderMetrics& metrics() const { return metrics_; }

   private:
    static void report_config_problem_entry(const mdp_host_t* host, const char* json_path, const char* message);
    static int32_t declare_metrics_entry(const mdp_host_t* host, const mdp_metric_declaration_t* metrics,
                                         uint32_t count);
    static void set_metric_entry(const mdp_host_t* host, uint32_t index, double value);

    std::string config_file_;
    std::string base_directory_;
    mdp_host_config_location_t location_{};
    mdp_host_config_problem_t problem_channel_{};
    mdp_host_shard_t shard_{};
    mdp_host_metrics_t metrics_table_{};
    std::string provider_name_;
    ProviderMetrics metrics_;
    const mdp_host_stored_acks_t* stored_acks_ = nullptr;
    const mdp_host_publish_identified_t* publish_identified_ = nullptr;

    mutable std::mutex problem_mutex_;
    std::optional<ReportedConfigProblem> problem_;  // guarded by problem_mutex_
};

// The extensions behind a host table handed to a plugin. Defined by host_services_table.cpp,
// which owns the tables.
HostExtensions& host_extensions_of(const mdp_host_t* host);

// Joins a path reported by a plugin to the provider's config path:
// ("providers[0].config", "symbols[2]") -> "providers[0].config.symbols[2]".
[[nodiscard]] std::string join_config_path(const std::string& base, const std::string& relative);

}  // namespace mdp::plugins
