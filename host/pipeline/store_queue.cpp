#include "pipeline/store_queue.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace mdp::pipeline {

namespace {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
}

}  // namespace

StoreQueue::StoreQueue(std::size_t capacity, OverflowPolicy policy)
    : capacity_(capacity), policy_(policy), slots_(std::make_unique<Slot[]>(capacity)) {
    if (capacity == 0) {
        throw std::invalid_argument("store queue capacity must be at least 1");
    }
}

std::size_t StoreQueue::depth() const {
    const std::uint64_t head = head_.load(std::memory_order_acquire);
    const std::uint64_t tail = tail_.load(std::memory_order_acquire);
    return tail > head ? static_cast<std::size_t>(tail - head) : 0;
}

std::uint64_t StoreQueue::claim(std::size_t wanted, std::size_t& claimed) {
    std::uint64_t tail = tail_.load(std::memory_order_relaxed);
    while (true) {
        const std::uint64_t head = head_.load(std::memory_order_acquire);
        const std::uint64_t used = tail - head;
        if (used >= capacity_) {
            claimed = 0;
            return tail;
        }
        const std::size_t take = std::min<std::size_t>(wanted, capacity_ - static_cast<std::size_t>(used));
        if (tail_.compare_exchange_weak(tail, tail + take, std::memory_order_acq_rel, std::memory_order_relaxed)) {
            claimed = take;
            return tail;
        }
    }
}

std::size_t StoreQueue::pop(std::span<StoreEvent> out) {
    std::lock_guard lock(consumer_mutex_);
    const std::uint64_t head = head_.load(std::memory_order_relaxed);
    std::size_t index = index_of(head);
    std::size_t taken = 0;
    while (taken < out.size()) {
        Slot& slot = slots_[index];
        if (slot.ready_position.load(std::memory_order_acquire) != head + taken + 1) {
            break;  // not yet written (or nothing queued)
        }
        out[taken] = slot.event;
        ++taken;
        if (++index == capacity_) {
            index = 0;
        }
    }
    if (taken != 0) {
        head_.store(head + taken, std::memory_order_release);
        space_freed_.notify_all();
    }
    return taken;
}

void StoreQueue::evict_oldest(std::size_t needed) {
    std::lock_guard lock(consumer_mutex_);
    std::uint64_t head = head_.load(std::memory_order_relaxed);
    const std::uint64_t tail = tail_.load(std::memory_order_acquire);
    // Only evict when the queue is still full; another producer may already have made room.
    const std::size_t used = static_cast<std::size_t>(tail - head);
    const std::size_t free_slots = capacity_ - std::min(used, capacity_);
    if (free_slots >= needed) {
        return;
    }
    std::size_t to_evict = std::min(needed - free_slots, used);
    std::size_t index = index_of(head);
    while (to_evict > 0) {
        Slot& slot = slots_[index];
        // A claimed slot is being written by its producer right now: wait for the copy.
        while (slot.ready_position.load(std::memory_order_acquire) != head + 1) {
            std::this_thread::yield();
        }
        if (on_evict_) {
            on_evict_(slot.event.provider_id);
        }
        ++head;
        --to_evict;
        if (++index == capacity_) {
            index = 0;
        }
    }
    head_.store(head, std::memory_order_release);
}

void StoreQueue::wait_for_space(const std::atomic<bool>* give_up) {
    // Space frees a whole batch at a time, usually within microseconds: spin briefly (with
    // the CPU's pause hint), then yield, and only then sleep — a sleep/wake pair costs more
    // than draining a batch.
    const auto released = [give_up] { return give_up != nullptr && give_up->load(std::memory_order_acquire); };
    for (int spin = 0; spin < 4096; ++spin) {
        if (depth() < capacity_ || closed() || released()) {
            return;
        }
        cpu_relax();
    }
    for (int spin = 0; spin < 64; ++spin) {
        if (depth() < capacity_ || closed() || released()) {
            return;
        }
        std::this_thread::yield();
    }
    space_freed_.wait_until([&] { return depth() < capacity_ || closed() || released(); },
                            std::chrono::steady_clock::now() + std::chrono::milliseconds(100));
}

std::size_t StoreQueue::wait_for_depth(std::size_t min_depth, std::chrono::steady_clock::time_point deadline) {
    min_depth = std::clamp<std::size_t>(min_depth, 1, capacity_);
    consumer_wants_.store(min_depth, std::memory_order_relaxed);
    records_added_.wait_until([&] { return depth() >= min_depth || closed(); }, deadline);
    consumer_wants_.store(0, std::memory_order_relaxed);
    return depth();
}

void StoreQueue::close() {
    closed_.store(true, std::memory_order_release);
    space_freed_.notify_all();
    records_added_.notify_all();
}

}  // namespace mdp::pipeline
