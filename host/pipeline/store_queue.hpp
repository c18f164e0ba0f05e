#pragma once
// The one shared, bounded store queue: many producers (provider threads), one consumer
// (the store coordinator).
//
// Design: a ring of slots addressed by ever-increasing 64-bit positions. A producer claims a
// contiguous range of free positions with one CAS on `tail_` (free = capacity - (tail -
// head)), copies its records in without any lock, then marks each slot ready by storing its
// position + 1 into the slot's sequence (release). The consumer reads ready slots in order
// and publishes the new `head_` (release) once per batch, which frees those slots. So a
// batch costs one CAS and one head store, whatever its size, and producers never wait for
// each other's copies.
//
// Overflow (queue full): `block` waits for space (until close()), `drop_newest` rejects
// what does not fit, `drop_oldest` evicts the oldest queued events to make room. Eviction
// consumes from the head, so consumers (the coordinator and evicting producers) serialise
// on `consumer_mutex_`, uncontended unless drop_oldest actually evicts.

#include "common/wakeup.hpp"
#include "config/overflow_policy.hpp"
#include "pipeline/overflow_policy.hpp"
#include "pipeline/store_event.hpp"
#include "pipeline/store_queue_probe.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>

namespace mdp::pipeline {

// What push() did with a batch: its first `accepted` records are queued. The rest, if any,
// were refused because the queue was full under drop_newest (`refused_full`), or else
// because the queue was closed.
struct PushResult {
    std::size_t accepted = 0;
    bool refused_full = false;
};

class StoreQueue {
   public:
    // Called once per evicted event under drop_oldest, with the evicted record;
    // [producer thread that evicts]. Must be cheap and must not touch the queue.
    using EvictionObserver = std::function<void(const StoreEvent& evicted)>;

    StoreQueue(std::size_t capacity, config::OverflowPolicy policy);
    StoreQueue(const StoreQueue&) = delete;
    StoreQueue& operator=(const StoreQueue&) = delete;

    void set_eviction_observer(EvictionObserver observer) { on_evict_ = std::move(observer); }
    // [before any thread uses the queue] Tests only: see store_queue_probe.hpp.
    void set_probe(StoreQueueProbe* probe) { probe_ = probe; }

    // [any-thread] Pushes `count` records, written in place by `fill(slot, index)` for
    // index 0..count-1 (in order, possibly across several calls). `accepted` < count when
    // drop_newest found the queue full (`refused_full`), when close() stopped it, or under
    // block when the queue was full while `give_up` (optional, the producer's own flag) was
    // true: a released producer no longer waits for space (see wake_blocked_producers()).
    // `fill` must not throw.
    template <typename Fill>
    PushResult push(std::size_t count, Fill&& fill, const std::atomic<bool>* give_up = nullptr);

    // [consumer thread] Moves up to `max` ready records into `out`; returns how many.
    std::size_t pop(std::span<StoreEvent> out);

    // [consumer thread] Waits until at least `min_depth` records are queued, the deadline
    // passes, or the queue is closed. Returns the depth seen.
    std::size_t wait_for_depth(std::size_t min_depth, std::chrono::steady_clock::time_point deadline);

    // [any-thread] Stops accepting: blocked and future pushes return at once with what they
    // had pushed. Queued records stay for the consumer to drain.
    void close();
    // [any-thread] Wakes pushes waiting for space so they re-check their `give_up` flag
    // (one producer released while the queue stays open for the others).
    void wake_blocked_producers() { space_freed_.notify_all(); }
    [[nodiscard]] bool closed() const { return closed_.load(std::memory_order_acquire); }

    // [any-thread] Records queued (claimed ones included): a depth the queue had during the
    // call, always within [0, capacity] (see the .cpp).
    [[nodiscard]] std::size_t depth() const;
    [[nodiscard]] std::size_t capacity() const { return capacity_; }
    [[nodiscard]] config::OverflowPolicy policy() const { return policy_; }

   private:
    struct Slot {
        std::atomic<std::uint64_t> ready_position{0};  // position + 1 once written
        StoreEvent event;
    };

    // Claims up to `wanted` free positions; returns the first and sets `claimed`.
    std::uint64_t claim(std::size_t wanted, std::size_t& claimed);
    // depth() re-reads when the consumer moves head between its reads, this many times at most.
    static constexpr int kDepthReadAttempts = 4;
    // Makes room for at least `needed` records by evicting the oldest (drop_oldest).
    void evict_oldest(std::size_t needed);
    // Waits until there is free space, the queue closes or `give_up` is set (block policy).
    void wait_for_space(const std::atomic<bool>* give_up);
    void pass(StoreQueuePoint point) const {
        if (probe_ != nullptr) [[unlikely]] {
            probe_->reached(point);
        }
    }
    [[nodiscard]] std::size_t index_of(std::uint64_t position) const {
        return static_cast<std::size_t>(position % capacity_);
    }

    // Grouped by who writes them, one cache line per group, so that a write by one side does
    // not evict what the other side reads on every call (false sharing).
    // Set before the queue is used; read by everyone:
    const std::size_t capacity_;
    const config::OverflowPolicy policy_;
    std::unique_ptr<Slot[]> slots_;
    EvictionObserver on_evict_;
    StoreQueueProbe* probe_ = nullptr;
    // Producers' claims:
    alignas(64) std::atomic<std::uint64_t> tail_{0};
    // The consumer's pops (and drop_oldest's evictions):
    alignas(64) std::atomic<std::uint64_t> head_{0};
    // Read by every push, written rarely (close, the consumer going to sleep):
    alignas(64) std::atomic<bool> closed_{false};
    std::atomic<std::size_t> consumer_wants_{0};  // depth the sleeping consumer waits for
    // The consumer's side, and producers waiting for space:
    alignas(64) std::mutex consumer_mutex_;
    common::Wakeup space_freed_;
    // Producers waking the consumer:
    alignas(64) common::Wakeup records_added_;
};

template <typename Fill>
PushResult StoreQueue::push(std::size_t count, Fill&& fill, const std::atomic<bool>* give_up) {
    std::size_t pushed = 0;
    while (pushed < count && !closed_.load(std::memory_order_relaxed)) {
        std::size_t claimed = 0;
        const std::uint64_t first = claim(count - pushed, claimed);
        if (claimed == 0) {
            if (policy_ == config::OverflowPolicy::drop_newest) {
                return {pushed, true};
            }
            if (policy_ == config::OverflowPolicy::block && give_up != nullptr &&
                give_up->load(std::memory_order_acquire)) {
                return {pushed, false};  // released while full: the caller counts the rest
            }
            if (policy_ == config::OverflowPolicy::drop_oldest) {
                evict_oldest(count - pushed);
            } else {
                wait_for_space(give_up);
            }
            continue;
        }
        std::size_t index = index_of(first);
        for (std::size_t offset = 0; offset < claimed; ++offset) {
            Slot& slot = slots_[index];
            fill(slot.event, pushed + offset);
            slot.ready_position.store(first + offset + 1, std::memory_order_release);
            if (++index == capacity_) {
                index = 0;
            }
        }
        pushed += claimed;
        // The claim's CAS is ordered with wait_for_depth()'s read-modify-write of tail_: either
        // this load sees the consumer's wish, or the consumer sees these records.
        const std::size_t wanted = consumer_wants_.load(std::memory_order_relaxed);
        if (wanted != 0 && depth() >= wanted) {
            records_added_.notify_all();
        }
    }
    return {pushed, false};
}

}  // namespace mdp::pipeline
