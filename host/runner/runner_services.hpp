#pragma once
// The mdp_host_t a plugin gets inside mdp-provider-runner: the same services as in the host,
// carried over the event ring (publish, the rate scale and level the host writes there) and
// the control channel (log, report_state, the config problem), plus the host extensions whose
// data the host sent with `create` (config location, shard), and the plugin's own metrics
// (declared through the channel during create, values through the ring).
//
// The delivery extensions are offered when the instance's host offers them: publishing with an
// identity (the origin goes into the ring's origin table, one origin sequence beside each
// record) and stored acknowledgements. The runner numbers its plugin's records itself, with
// the same rules as the host (1, 2, ... per instance; a call that takes none gets 0), and a
// settlement thread turns the ranges of ring positions the host posts back into those numbers
// before it calls the plugin: the same ordering, thread and timing promises as in the host.

#include "isolation/event_ring.hpp"
#include "isolation/message_channel.hpp"
#include "isolation/runner_protocol.hpp"
#include "isolation/settlement_translator.hpp"

#include <mdp/plugin_api.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

namespace mdp::runner {

class RunnerServices {
   public:
    // `ring` and `channel` outlive this table.
    RunnerServices(isolation::EventRing& ring, isolation::MessageChannel& channel);
    RunnerServices(const RunnerServices&) = delete;
    RunnerServices& operator=(const RunnerServices&) = delete;
    ~RunnerServices();

    // [runner main thread, before create()] What the host's extensions say for this instance.
    void set_location(std::string config_file, std::string base_directory);
    void set_shard(std::uint32_t index, std::uint32_t count);
    // [runner main thread, before create()] Which delivery extensions to offer
    // (isolation::kOffersStoredAcks, kOffersPublishIdentified).
    void set_offered_extensions(std::uint32_t offered) { offered_ = offered; }
    // [runner main thread] Opens or closes the window in which the plugin may declare metrics
    // (its factory's create()): the main thread then reads the host's answer itself.
    void accept_declarations(bool accepting) { accepting_declarations_ = accepting; }
    // [runner main thread] Opens or closes the window in which the plugin may subscribe to
    // stored acknowledgements (its create() and start()).
    void accept_subscriptions(bool accepting) { accepting_subscriptions_ = accepting; }
    // [runner main thread, after the plugin's stop() returned] No settlement callback after
    // this returns; a later start() subscribes again.
    void end_subscription();

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
    static int32_t publish_with_sequence_entry(const mdp_host_t* host, const mdp_event_t* events, uint32_t count,
                                               mdp_publish_result_t* result, uint64_t* first_sequence);
    static int32_t publish_identified_entry(const mdp_host_t* host, const mdp_event_origin_t* origin,
                                            const mdp_event_t* events, const uint64_t* origin_sequences, uint32_t count,
                                            mdp_publish_result_t* result, uint64_t* first_sequence);
    static int32_t subscribe_entry(const mdp_host_t* host, mdp_stored_ack_fn on_settled, void* user_data);

    // A publish call's identity (MDP_HOST_PUBLISH_IDENTIFIED_ID), as the plugin gave it.
    struct Identified {
        const mdp_event_origin_t* origin = nullptr;
        const uint64_t* origin_sequences = nullptr;
    };
    // Every publish entry ends here: checks (the identity too, when `identified`), numbers and
    // rings `count` records.
    int32_t publish_call(const mdp_event_t* events, uint32_t count, const std::optional<Identified>& identified,
                         mdp_publish_result_t* result, uint64_t* first_sequence);
    // The origin table entry for `origin`, written when new; 0 when none could be freed
    // (under publish_mutex_).
    std::uint32_t origin_index(const mdp_event_origin_t& origin);
    // Sends a control message and reads its answer on the calling thread (the main thread,
    // inside create() or start(), when nothing else reads the channel). MDP_ERROR when none.
    int32_t ask_host(isolation::MessageType question, const isolation::PayloadWriter& payload,
                     isolation::MessageType answer);
    // [settlement thread] Takes what the host posted, translates it, calls the subscriber.
    void deliver_settlements();

    isolation::EventRing& ring_;
    isolation::MessageChannel& channel_;
    std::string config_file_;
    std::string base_directory_;
    mdp_host_config_problem_t problem_{};
    mdp_host_config_location_t location_{};
    mdp_host_shard_t shard_{};
    mdp_host_metrics_t metrics_{};
    mdp_host_stored_acks_t stored_acks_{};
    mdp_host_publish_identified_t publish_identified_{};
    std::uint32_t offered_ = 0;
    bool accepting_declarations_ = false;  // main thread only
    bool accepting_subscriptions_ = false;  // main thread only

    // Publishing: numbering, the origin table, and the ring positions -> publish sequences map
    // of a subscribed plugin.
    std::mutex publish_mutex_;
    std::uint64_t next_sequence_ = 1;  // under publish_mutex_
    bool mapping_ = false;  // under publish_mutex_: the plugin subscribed
    std::map<std::pair<std::string, std::string>, std::uint32_t> origin_indexes_;  // under publish_mutex_
    std::array<std::uint64_t, isolation::kOriginSlots> origin_last_use_{};  // ring position after its last record
    std::array<std::optional<std::pair<std::string, std::string>>, isolation::kOriginSlots>
        origin_keys_;  // which origin each table entry holds
    isolation::SettlementTranslator settlements_;

    // The subscriber, called by the settlement thread under subscriber_mutex_.
    std::mutex subscriber_mutex_;
    mdp_stored_ack_fn on_settled_ = nullptr;
    void* on_settled_data_ = nullptr;
    std::atomic<bool> stopping_{false};
    std::thread settlement_thread_;
    mdp_host_t table_{};
};

}  // namespace mdp::runner
