#pragma once
// The mdp_host_t a plugin gets inside mdp-provider-runner: the same services as in the host,
// carried over the event ring (publish, the rate scale and level the host writes there) and
// the control channel (log, report_state, the config problem), plus the host extensions whose
// data the host sent with `create` (config location, shard), and the plugin's own metrics
// (declared through the channel during create, values through the ring). Extensions that need
// an answer from the host on every call (stored acknowledgements, publishing with an identity)
// are not offered: get_extension returns NULL and the plugin falls back, as on a host that
// predates them (docs/isolation.md).

#include "isolation/event_ring.hpp"
#include "isolation/message_channel.hpp"

#include <mdp/plugin_api.h>

#include <cstdint>
#include <string>

namespace mdp::runner {

class RunnerServices {
   public:
    // `ring` and `channel` outlive this table.
    RunnerServices(isolation::EventRing& ring, isolation::MessageChannel& channel);
    RunnerServices(const RunnerServices&) = delete;
    RunnerServices& operator=(const RunnerServices&) = delete;

    // [runner main thread, before create()] What the host's extensions say for this instance.
    void set_location(std::string config_file, std::string base_directory);
    void set_shard(std::uint32_t index, std::uint32_t count);
    // [runner main thread] Opens or closes the window in which the plugin may declare metrics
    // (its factory's create()): the main thread then reads the host's answer itself.
    void accept_declarations(bool accepting) { accepting_declarations_ = accepting; }

    [[nodiscard]] const mdp_host_t* table() const { return &table_; }

   private:
    static RunnerServices& self(const mdp_host_t* host);
    static int32_t publish_entry(const mdp_host_t* host, const mdp_event_t* events, uint32_t count,
                                 mdp_publish_result_t* result);
    static double rate_scale_entry(const mdp_host_t* host);
    static void log_entry(const mdp_host_t* host, int32_t level, const char* message);
    static void report_state_entry(const mdp_host_t* host, int32_t state, const char* detail);
    static int64_t now_ns_entry(const mdp_host_t* host);
    static const void* get_extension_entry(const mdp_host_t* host, const char* extension_id);
    static void report_problem_entry(const mdp_host_t* host, const char* json_path, const char* message);
    static int32_t declare_metrics_entry(const mdp_host_t* host, const mdp_metric_declaration_t* metrics,
                                         uint32_t count);
    static void set_metric_entry(const mdp_host_t* host, uint32_t index, double value);

    isolation::EventRing& ring_;
    isolation::MessageChannel& channel_;
    std::string config_file_;
    std::string base_directory_;
    mdp_host_config_problem_t problem_{};
    mdp_host_config_location_t location_{};
    mdp_host_shard_t shard_{};
    mdp_host_metrics_t metrics_{};
    bool accepting_declarations_ = false;  // main thread only
    mdp_host_t table_{};
};

}  // namespace mdp::runner
