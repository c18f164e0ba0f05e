#pragma once
// Stored acknowledgements (plugin_api.h, MDP_HOST_STORED_ACKS_ID): tells a subscribed provider
// which of its published records are settled — stored by every sink, or dropped — as ranges
// of publish sequences, in order.
//
// Records settle out of order: a batch mixes providers, concurrent publishers of one instance
// interleave in the queue, a refusal at publish settles before the accepted part of the same
// call is stored. SettlementLog keeps what settled ahead of a gap until the gap closes, so its
// subscriber sees one contiguous, ordered sequence of ranges. Delivery happens on the store
// coordinator's thread only, so one provider's callbacks never overlap.

#include "pipeline/store_event.hpp"

#include <mdp/plugin_api.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

namespace mdp::pipeline {

enum class Settlement : std::int32_t { stored = MDP_SETTLED_STORED, dropped = MDP_SETTLED_DROPPED };

struct SettledRange {
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    Settlement outcome = Settlement::stored;
};

// The extension's outcome value (mdp_stored_ack_t.outcome) as a Settlement: anything but
// MDP_SETTLED_STORED counts as dropped, the side that loses nothing.
constexpr Settlement settlement_of(std::int32_t outcome) {
    return outcome == MDP_SETTLED_STORED ? Settlement::stored : Settlement::dropped;
}

// Appends `range` to `ranges` (a vector or deque of SettledRange), merged into the last range
// when it continues it with the same outcome.
template <typename Ranges>
void append_coalesced(Ranges& ranges, const SettledRange& range) {
    if (!ranges.empty() && ranges.back().outcome == range.outcome && ranges.back().last + 1 == range.first) {
        ranges.back().last = range.last;
    } else {
        ranges.push_back(range);
    }
}

// One provider instance's settlements, in publish-sequence order.
class SettlementLog {
   public:
    // Sequences up to `settled_through` are not tracked (published before the subscription).
    explicit SettlementLog(std::uint64_t settled_through);

    // [any-thread] Every record with a publish sequence in [first, last] settled as `outcome`.
    // Allocates only when the range settles ahead of an unsettled one.
    void settle(std::uint64_t first, std::uint64_t last, Settlement outcome);
    // [store-thread] Hands every range settled in order since the last call to the subscriber,
    // or discards them when there is none.
    void deliver();
    // [control-thread] (Re)places the subscriber; `callback` is not NULL.
    void subscribe(mdp_stored_ack_fn callback, void* user_data);
    // [control-thread] No callback after this returns (it waits for one in progress).
    void unsubscribe();

   private:
    friend class StoredAcks;
    void append_ready(const SettledRange& range);  // under mutex_

    mutable std::mutex mutex_;  // guards the ranges below
    std::uint64_t settled_through_;
    std::map<std::uint64_t, SettledRange> early_;  // settled past a gap, by first sequence
    std::vector<SettledRange> ready_;  // in order, not yet delivered; coalesced
    std::atomic<bool> has_ready_{false};

    std::mutex subscriber_mutex_;  // held while calling the subscriber
    mdp_stored_ack_fn callback_ = nullptr;
    void* user_data_ = nullptr;

    // [store-thread] scratch: delivery swap buffer and the run being built from a batch.
    std::vector<SettledRange> delivering_;
    bool run_open_ = false;
    SettledRange run_;
};

// The settlement logs of every subscribed provider, by provider id; the store coordinator's
// side of stored acknowledgements.
class StoredAcks {
   public:
    static constexpr std::size_t kCapacity = 1024;  // provider ids over a host's life

    StoredAcks();

    // [control-thread, or a plugin's create()/start()] The log of `provider_id`, created (tracking sequences after
    // `settled_through`) on first use; nullptr when the id is out of range.
    SettlementLog* enable(std::uint32_t provider_id, std::uint64_t settled_through);
    // [any-thread, lock-free] The log of `provider_id`, or nullptr when never enabled.
    [[nodiscard]] SettlementLog* find(std::uint32_t provider_id) const noexcept {
        return provider_id < kCapacity ? logs_[provider_id].load(std::memory_order_acquire) : nullptr;
    }
    // [any-thread] Settles one record (an eviction under drop_oldest).
    void settle_one(const StoreEvent& record, Settlement outcome) const;

    // [store-thread] Every record of `batch` settled as `outcome`. Costs one load when no
    // provider subscribed; allocation-free while records settle in order.
    void batch_settled(std::span<const StoreEvent> batch, Settlement outcome);
    // [store-thread] Delivers what settled to the subscribers.
    void deliver();

   private:
    std::array<std::atomic<SettlementLog*>, kCapacity> logs_{};
    std::mutex enable_mutex_;  // serialises enable()
    std::array<std::unique_ptr<SettlementLog>, kCapacity> owned_;  // under enable_mutex_
    std::array<std::atomic<SettlementLog*>, kCapacity> enabled_{};  // dense list of the above
    std::atomic<std::size_t> enabled_count_{0};
    std::vector<SettlementLog*> touched_;  // store-thread scratch, capacity kCapacity
};

}  // namespace mdp::pipeline
