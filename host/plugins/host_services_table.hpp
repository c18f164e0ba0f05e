#pragma once
// The C services table (mdp_host_t) one provider instance hands its plugin, and the
// trampolines behind it: each entry turns the C call into a call on the instance's publisher,
// its extensions or its owner, after checking and copying what the plugin passed.

#include "plugins/host_extensions.hpp"
#include "plugins/provider_publisher.hpp"
#include "plugins/provider_state.hpp"

#include <mdp/plugin_api.h>

#include <string>

namespace mdp::plugins {

// What the table's entries need from the instance that owns it, besides publishing.
class HostServicesOwner {
   public:
    virtual ~HostServicesOwner() = default;
    // [any-thread] The instance's name (never changes), for the plugin's log lines.
    [[nodiscard]] virtual const std::string& provider_name() const = 0;
    // [any-thread, non-blocking] The rate scale the provider should run at now.
    [[nodiscard]] virtual double rate_scale() const = 0;
    // [any-thread] The plugin reported `state` (running, degraded or failed) with `detail`.
    virtual void report_state(ProviderState state, const std::string& detail) = 0;

   protected:
    HostServicesOwner() = default;
    HostServicesOwner(const HostServicesOwner&) = default;
    HostServicesOwner& operator=(const HostServicesOwner&) = default;
};

class HostServicesTable {
   public:
    // Offers `publisher`'s extensions (stored acks, publishing with an identity) through
    // `extensions` when the publisher supports them. All three outlive this table.
    HostServicesTable(HostServicesOwner& owner, ProviderPublisher& publisher, HostExtensions& extensions);
    // The table's address is the plugin's handle: it never moves.
    HostServicesTable(const HostServicesTable&) = delete;
    HostServicesTable& operator=(const HostServicesTable&) = delete;

    // What the plugin's factory create() gets; valid as long as this object.
    [[nodiscard]] const mdp_host_t* table() const { return &table_; }

   private:
    friend HostExtensions& host_extensions_of(const mdp_host_t* host);
    static HostServicesTable& self(const mdp_host_t* host);
    static int32_t publish_entry(const mdp_host_t* host, const mdp_event_t* events, uint32_t count,
                                 mdp_publish_result_t* result);
    static double rate_scale_entry(const mdp_host_t* host);
    static void log_entry(const mdp_host_t* host, int32_t level, const char* message);
    static void report_state_entry(const mdp_host_t* host, int32_t state, const char* detail);
    static int64_t now_ns_entry(const mdp_host_t* host);
    static const void* get_extension_entry(const mdp_host_t* host, const char* extension_id);
    // MDP_HOST_STORED_ACKS_ID and MDP_HOST_PUBLISH_IDENTIFIED_ID.
    static int32_t subscribe_settlements_entry(const mdp_host_t* host, mdp_stored_ack_fn on_settled, void* user_data);
    static int32_t publish_with_sequence_entry(const mdp_host_t* host, const mdp_event_t* events, uint32_t count,
                                               mdp_publish_result_t* result, uint64_t* first_sequence);
    static int32_t publish_identified_entry(const mdp_host_t* host, const mdp_event_origin_t* origin,
                                            const mdp_event_t* events, const uint64_t* origin_sequences, uint32_t count,
                                            mdp_publish_result_t* result, uint64_t* first_sequence);

    HostServicesOwner& owner_;
    ProviderPublisher& publisher_;
    HostExtensions& extensions_;
    mdp_host_t table_{};
};

}  // namespace mdp::plugins
