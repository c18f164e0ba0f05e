#pragma once
// The publish path of one provider instance: checks each call's records (and identity),
// numbers them with the instance's publish sequence, copies them into the shared store queue
// and counts what was published, by event type, and what was dropped, by reason. With `bars`
// configured it also feeds the records the queue accepted to the instance's bar operator and
// queues the bars it closes as this provider's own events (docs/data-quality.md).

#include "common/event_type.hpp"
#include "config/host_config.hpp"
#include "pipeline/backpressure_controller.hpp"
#include "pipeline/bar_operator.hpp"
#include "pipeline/event_origins.hpp"
#include "pipeline/overflow_policy.hpp"
#include "pipeline/store_queue.hpp"
#include "pipeline/stored_acks.hpp"

#include <mdp/plugin_api.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace mdp::plugins {

// Where published events go; shared by every provider instance.
// Without `stored_acks` / `origins` the instance does not offer the host extensions
// MDP_HOST_STORED_ACKS_ID / MDP_HOST_PUBLISH_IDENTIFIED_ID.
struct PublishTarget {
    pipeline::StoreQueue* queue = nullptr;
    pipeline::BackpressureController* controller = nullptr;
    pipeline::StoredAcks* stored_acks = nullptr;
    const pipeline::EventOrigins* origins = nullptr;
};

// Functions are [any-thread] (plugin threads publish concurrently) unless marked otherwise.
class ProviderPublisher {
   public:
    // `provider_id` numbers the records (StoreEvent::provider_id); `provider_name` is for log
    // lines. `target`'s objects and `rate_scale` (the instance's current rate scale, written
    // by feedback, copied into every publish result) outlive this.
    ProviderPublisher(std::uint32_t provider_id, std::string provider_name, PublishTarget target,
                      const std::atomic<double>& rate_scale);
    ProviderPublisher(const ProviderPublisher&) = delete;
    ProviderPublisher& operator=(const ProviderPublisher&) = delete;

    [[nodiscard]] bool tracks_settlements() const { return target_.stored_acks != nullptr; }
    [[nodiscard]] bool accepts_identities() const { return target_.origins != nullptr; }
    // Whether a publish waits for space in a full queue (the `block` overflow policy).
    [[nodiscard]] bool blocks_when_full() const {
        return target_.queue == nullptr || target_.queue->policy() == config::OverflowPolicy::block;
    }

    // mdp_host_t.publish, and MDP_HOST_STORED_ACKS_ID's publish_with_sequence when
    // `first_sequence` is not NULL (it receives the call's first publish sequence, 0 when it
    // took none). Returns MDP_OK or MDP_ERROR (records too short to read: all dropped).
    // Records of an unknown type drop the whole call (reason invalid; MDP_OK, 0 accepted).
    int32_t publish(const mdp_event_t* events, std::uint32_t count, mdp_publish_result_t* result,
                    std::uint64_t* first_sequence);
    // MDP_HOST_PUBLISH_IDENTIFIED_ID's publish: as publish(), but every record carries the
    // interned `origin` and its own origin sequence. A rejected identity drops the call
    // (reason invalid, logged at most once a second) and returns MDP_ERROR.
    int32_t publish_identified(const mdp_event_origin_t* origin, const mdp_event_t* events,
                               const std::uint64_t* origin_sequences, std::uint32_t count, mdp_publish_result_t* result,
                               std::uint64_t* first_sequence);

    // MDP_HOST_STORED_ACKS_ID's subscribe: allowed only while subscriptions are accepted
    // (accept_subscriptions(true), i.e. during the plugin's create() or start()).
    int32_t subscribe_settlements(mdp_stored_ack_fn on_settled, void* user_data);
    // [control-thread] Opens or closes the window in which subscribe_settlements() succeeds.
    void accept_subscriptions(bool accepting) { accepting_subscription_.store(accepting, std::memory_order_release); }
    // [control-thread] No settlement callback into the plugin after this returns.
    void unsubscribe_settlements();

    // [control-thread] From release_waiting() until wait_for_space_again(), publishes never
    // wait for space in a full queue: what does not fit is dropped (reason shutdown).
    void release_waiting();
    void wait_for_space_again() { publishes_released_.store(false, std::memory_order_release); }

    void count_drop(pipeline::DropReason reason, std::uint64_t count) {
        dropped_[static_cast<std::size_t>(reason)].fetch_add(count, std::memory_order_relaxed);
    }
    // Events dropped so far for `reason`.
    [[nodiscard]] std::uint64_t dropped(pipeline::DropReason reason) const {
        return dropped_[static_cast<std::size_t>(reason)].load(std::memory_order_relaxed);
    }
    // Events queued so far of type `type`.
    [[nodiscard]] std::uint64_t published(common::EventType type) const {
        return published_by_type_[type].load(std::memory_order_relaxed);
    }
    [[nodiscard]] std::uint64_t published_total() const;

    // The host's bar operator of this instance (read-only: its settings and counts).
    [[nodiscard]] const pipeline::BarOperator& bars() const { return bars_; }
    // [control-thread] Applies new bar settings, queuing the bars open under the old ones
    // first; false when they equal the current ones (nothing done).
    bool configure_bars(const config::BarsConfig& bars);
    // [bar timer thread] Queues the bars whose end + grace passed at `now_ns`; returns when the
    // next one is due (pipeline::BarBuilder::kNothingDue when none is open).
    std::int64_t close_due_bars(std::int64_t now_ns);
    // [control-thread, before the queue closes] Queues every open bar, complete or not.
    void flush_bars();

   private:
    // Who the events of one publish call say they are: the host's own identity (origin_id 0),
    // or an interned origin and one origin sequence per record.
    struct CallIdentity {
        std::uint32_t origin_id = 0;
        const std::uint64_t* origin_sequences = nullptr;
    };
    // Checks and queues one call and fills `result`; every entry point ends here.
    int32_t publish_call(const mdp_event_t* events, std::uint32_t count, CallIdentity identity,
                         mdp_publish_result_t* result, std::uint64_t* first_sequence);
    // Queues `count` readable records; returns how many the queue took.
    std::uint32_t push(const mdp_event_t* events, std::uint32_t count, CallIdentity identity,
                       std::uint64_t& first_sequence);
    // Queues bars the host built for this instance: numbered, counted and settled like the
    // provider's own records, under the same overflow policy.
    void push_bars(std::span<const mdp_event_t> closed);
    // What the bar operator hands the bars it closed to: push_bars().
    auto queue_bars() {
        return [this](std::span<const mdp_event_t> closed) { push_bars(closed); };
    }
    // Settles as dropped what the queue refused of a call, for a subscribed provider.
    void settle_refused(std::uint64_t first_refused, std::uint64_t last_refused);
    // The origin's id, or 0 after counting `count` events as invalid and logging why.
    std::uint32_t accept_origin(const mdp_event_origin_t* origin, const std::uint64_t* origin_sequences,
                                std::uint32_t count);
    void reject_identity(std::uint32_t count, std::string_view reason);

    const std::uint32_t provider_id_;
    const std::string provider_name_;
    const PublishTarget target_;
    const std::atomic<double>& rate_scale_;
    std::atomic<std::uint64_t> next_sequence_{0};
    std::atomic<bool> publishes_released_{false};
    // Set while create() or start() runs: the only time a plugin may subscribe to settlements.
    std::atomic<bool> accepting_subscription_{false};
    pipeline::SettlementLog* settlement_log_ = nullptr;  // this id's log once subscribed; never freed
    std::atomic<std::int64_t> identity_rejection_logged_ns_{0};  // rate-limits the warning
    common::PerEventType<std::atomic<std::uint64_t>> published_by_type_;
    std::array<std::atomic<std::uint64_t>, pipeline::kDropReasons.size()> dropped_{};  // index = DropReason
    pipeline::BarOperator bars_;
};

}  // namespace mdp::plugins
