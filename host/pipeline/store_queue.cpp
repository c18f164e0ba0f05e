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

// Space and records come and go a batch at a time, usually within microseconds of each other:
// while the other side is visibly working, spin (with the CPU's pause hint) for up to a few
// tens of microseconds before sleeping, since a sleep costs the sleeper a wake-up latency and
// the thread that wakes it a futex call, more than a batch takes. When the other side shows
// no progress for a few microseconds it is not running (a busy machine has descheduled it):
// sleep at once and leave it the core. No sched_yield: on a busy machine a yield hands the
// core to another process for a whole time slice, where a futex wake-up is prompt.
constexpr int kSpinChecks = 128;  // the whole budget: about 40 us on a current x86 core
// Between two looks at the queue: a waiter that read the positions after every pause would
// keep pulling the producers' tail line away from them while they claim.
constexpr int kPausesPerCheck = 32;
constexpr int kIdleChecks = 8;  // about 3 us without progress

// Returns true as soon as `ready()` is; false when the budget ran out or `progress()` (a
// counter the other side advances) stood still for kIdleChecks checks.
template <typename Ready, typename Progress>
bool spin_while_progressing(const Ready& ready, const Progress& progress) {
    std::uint64_t last_seen = progress();
    int idle_checks = 0;
    for (int check = 0; check < kSpinChecks; ++check) {
        if (ready()) {
            return true;
        }
        for (int pause = 0; pause < kPausesPerCheck; ++pause) {
            cpu_relax();
        }
        const std::uint64_t now = progress();
        idle_checks = now == last_seen ? idle_checks + 1 : 0;
        last_seen = now;
        if (idle_checks == kIdleChecks) {
            break;
        }
    }
    return ready();
}

}  // namespace

StoreQueue::StoreQueue(std::size_t capacity, config::OverflowPolicy policy)
    : capacity_(capacity), policy_(policy), slots_(std::make_unique<Slot[]>(capacity)) {
    if (capacity == 0) {
        throw std::invalid_argument("store queue capacity must be at least 1");
    }
}

std::size_t StoreQueue::depth() const {
    // Two positions cannot be read at once. Reading head, then tail, then head again: when
    // head did not move, tail - head is the depth at the moment tail was read. Even when it
    // moved, 0 <= tail - head <= capacity for the second head (see claim()), so a reading
    // can lag behind the queue but never exceeds the capacity or wraps.
    std::uint64_t head = head_.load(std::memory_order_acquire);
    for (int attempt = 1;; ++attempt) {
        pass(StoreQueuePoint::depth_read_head);
        const std::uint64_t tail = tail_.load(std::memory_order_acquire);
        const std::uint64_t head_again = head_.load(std::memory_order_acquire);
        if (head_again == head || attempt == kDepthReadAttempts) {
            return tail > head_again ? static_cast<std::size_t>(tail - head_again) : 0;
        }
        head = head_again;
    }
}

// Invariant: 0 <= tail - head <= capacity for every tail a thread acquires and any head it
// reads after it. The producer whose CAS wrote that tail read a head h with tail - h <=
// capacity before its CAS (release); the reader acquires the tail, so its later head read
// returns h or newer. So "used >= capacity" below means exactly "full", never a stale tail.
std::uint64_t StoreQueue::claim(std::size_t wanted, std::size_t& claimed) {
    std::uint64_t tail = tail_.load(std::memory_order_acquire);
    while (true) {
        pass(StoreQueuePoint::claim_read_tail);
        const std::uint64_t head = head_.load(std::memory_order_acquire);
        if (head > tail) {
            // Other producers pushed and the consumer popped past the tail read above:
            // `tail - head` would wrap around. Read it again.
            tail = tail_.load(std::memory_order_acquire);
            continue;
        }
        const std::uint64_t used = tail - head;
        if (used >= capacity_) {
            claimed = 0;
            return tail;
        }
        const std::size_t take = std::min<std::size_t>(wanted, capacity_ - static_cast<std::size_t>(used));
        if (tail_.compare_exchange_weak(tail, tail + take, std::memory_order_acq_rel, std::memory_order_acquire)) {
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
            on_evict_(slot.event);
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
    const auto released = [give_up] { return give_up != nullptr && give_up->load(std::memory_order_acquire); };
    const auto has_space = [&] { return depth() < capacity_ || closed() || released(); };
    const auto consumed = [this] { return head_.load(std::memory_order_relaxed); };
    if (!spin_while_progressing(has_space, consumed)) {
        space_freed_.wait_until(has_space, std::chrono::steady_clock::now() + std::chrono::milliseconds(100));
    }
}

std::size_t StoreQueue::wait_for_depth(std::size_t min_depth, std::chrono::steady_clock::time_point deadline) {
    min_depth = std::clamp<std::size_t>(min_depth, 1, capacity_);
    const auto enough = [&] { return depth() >= min_depth || closed(); };
    const auto claimed = [this] { return tail_.load(std::memory_order_relaxed); };
    if (enough() || std::chrono::steady_clock::now() >= deadline || spin_while_progressing(enough, claimed)) {
        return depth();
    }
    consumer_wants_.store(min_depth, std::memory_order_relaxed);
    // Orders the wish with the producers' claims (both are read-modify-writes of tail_):
    // either a producer's claim comes later and reads the wish (push() then notifies), or
    // it came earlier and the predicate below sees its records. Adding 0 changes no position.
    tail_.fetch_add(0, std::memory_order_acq_rel);
    records_added_.wait_until(enough, deadline);
    consumer_wants_.store(0, std::memory_order_relaxed);
    return depth();
}

void StoreQueue::close() {
    closed_.store(true, std::memory_order_release);
    space_freed_.notify_all();
    records_added_.notify_all();
}

}  // namespace mdp::pipeline
