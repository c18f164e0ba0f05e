#pragma once
// The shared-memory event ring between an isolated provider's runner (the one producer) and
// the host (the one consumer): a memfd holding a control block and `capacity` fixed-size
// mdp_event_t slots, addressed by ever-increasing 64-bit positions (`tail` written by the
// runner, `head` by the host). Wake-ups go through two eventfds, written only when the other
// side said it sleeps, so a busy ring costs no system call per publish.
//
// Both ends are the same build (the runner is installed next to mdp-host); attach() still
// checks the magic, the layout version and the record size, and refuses anything else.
//
// The control block also carries what the host tells the runner between publishes (its rate
// scale, the backpressure level, whether a full ring blocks) and what the runner dropped
// itself (counted by the host as the in-process publish path would).
//
// Two host extensions cross here too. Publishing with an identity (MDP_HOST_PUBLISH_IDENTIFIED_ID):
// every slot has an origin index (0: the host's own identity) and an origin sequence beside
// it, and the index names an entry of a small origin table in the same mapping, which the
// runner fills before it publishes the first record that refers to it. Stored
// acknowledgements (MDP_HOST_STORED_ACKS_ID): the host posts settled ranges of ring positions
// into a second, small ring going the other way, with a futex word to wake the runner.

#include "pipeline/stored_acks.hpp"

#include <mdp/plugin_api.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

namespace mdp::isolation {

// Distinct origins the ring names at once; an entry is reused once the host read every record
// that referred to it.
inline constexpr std::uint32_t kOriginSlots = 64;
// Settled ranges in flight from the host to the runner.
inline constexpr std::uint32_t kSettledSlots = 256;

// One origin of the table: NUL-terminated texts (plugin_api.h's limits).
struct OriginText {
    std::array<char, MDP_ORIGIN_TEXT_MAX + 1> provider{};
    std::array<char, MDP_ORIGIN_TEXT_MAX + 1> run_id{};
};

// One settled range of ring positions + 1 (so that position 0 is sequence 1).
struct SettledSlot {
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    std::int32_t outcome = MDP_SETTLED_STORED;
};

struct RingControl {
    std::uint64_t magic = 0;
    std::uint32_t layout_version = 0;
    std::uint32_t record_size = 0;  // sizeof(mdp_event_t)
    std::uint64_t capacity = 0;  // slots, a power of two
    alignas(64) std::atomic<std::uint64_t> tail{0};  // next position the runner writes
    alignas(64) std::atomic<std::uint64_t> head{0};  // next position the host reads
    alignas(64) std::atomic<std::uint32_t> consumer_sleeping{0};
    std::atomic<std::uint32_t> producer_sleeping{0};
    // host -> runner
    std::atomic<double> rate_scale{1.0};
    std::atomic<std::int32_t> level{MDP_LEVEL_OK};
    std::atomic<std::uint32_t> block_when_full{1};  // the `block` overflow policy
    std::atomic<std::uint32_t> released{0};  // 1: a full ring drops (the host's stop deadline)
    // runner -> host: records the runner refused itself, running totals
    std::atomic<std::uint64_t> dropped_full{0};  // the ring was full under a drop policy
    std::atomic<std::uint64_t> dropped_invalid{0};  // malformed records or an unknown type
    // The plugin's own metrics (MDP_HOST_METRICS_ID's set), by declared index; the version
    // grows with every set, so the host copies them only when one changed.
    std::atomic<std::uint64_t> metrics_version{0};
    std::array<std::atomic<double>, MDP_METRICS_MAX> metric_values{};
    // host -> runner: settled ranges (stored acknowledgements), a ring of kSettledSlots, and
    // the futex word the runner sleeps on (bumped by every post).
    alignas(64) std::atomic<std::uint64_t> settled_tail{0};  // written by the host
    alignas(64) std::atomic<std::uint64_t> settled_head{0};  // written by the runner
    std::atomic<std::uint32_t> settled_signal{0};
    std::array<SettledSlot, kSettledSlots> settled{};
};

static_assert(std::atomic<std::uint64_t>::is_always_lock_free && std::atomic<double>::is_always_lock_free,
              "the ring's control block is shared between processes: its atomics must be lock-free");

// Who a publish call's records say they are: origin index 0 is the host's own identity;
// otherwise an entry of EventRing::origin_text() and one origin sequence per record.
struct RingIdentity {
    std::uint32_t origin_index = 0;
    const std::uint64_t* origin_sequences = nullptr;
};

// One mapping of a ring's memfd and its two eventfds. Owns all three descriptors.
class EventRing {
   public:
    // [host] A new ring of at least `min_capacity` slots (rounded up to a power of two).
    // Throws std::system_error naming the failing call.
    static EventRing create(std::size_t min_capacity);
    // [runner] Maps the ring the host created; takes ownership of the three descriptors.
    // Throws std::runtime_error when the layout is not this build's.
    static EventRing attach(int memory_fd, int data_fd, int space_fd);

    EventRing(EventRing&& other) noexcept;
    EventRing& operator=(EventRing&& other) = delete;
    EventRing(const EventRing&) = delete;
    EventRing& operator=(const EventRing&) = delete;
    ~EventRing();

    [[nodiscard]] RingControl& control() const { return *control_; }
    [[nodiscard]] std::size_t capacity() const { return capacity_; }
    [[nodiscard]] int memory_fd() const { return memory_fd_; }
    // Readable when the producer published records while the consumer slept.
    [[nodiscard]] int data_fd() const { return data_fd_; }
    // Readable when the consumer freed slots while the producer slept.
    [[nodiscard]] int space_fd() const { return space_fd_; }

    // ---- producer side (the runner); [any-thread], calls serialised by a mutex
    // Copies `count` records (stride events[0].size, each at least sizeof(mdp_event_t):
    // the caller checked) into the ring with `identity`. Waits for space while the ring is full
    // and it is to block and not released; otherwise refuses the rest, counted in
    // dropped_full. Returns how many records it took; `first_position` (may be null) receives
    // the ring position of the first.
    std::uint32_t publish(const mdp_event_t* events, std::uint32_t count, RingIdentity identity = {},
                          std::uint64_t* first_position = nullptr);
    // [runner writes, serialised with publish(); host reads] The origin table's entry `index`
    // (1 .. kOriginSlots). The runner rewrites an entry only after the host consumed every
    // record that referred to it.
    [[nodiscard]] OriginText& origin_text(std::uint32_t index) const { return origins_[index - 1]; }
    // Waits until the host consumed up to `position` (or the ring is released); false when it
    // did not within the wait's safety timeout.
    bool wait_until_consumed(std::uint64_t position);
    // Counts `count` records refused before they reached the ring.
    void count_invalid(std::uint64_t count) { control_->dropped_invalid.fetch_add(count, std::memory_order_relaxed); }

    // ---- consumer side (the host); one thread
    // The records ready to read from `head` on, as one contiguous run (up to the ring's
    // end); empty when there are none.
    struct Readable {
        const mdp_event_t* records = nullptr;
        std::uint32_t count = 0;
        std::uint64_t position = 0;  // of records[0]
        const std::uint32_t* origin_indexes = nullptr;  // one per record
        const std::uint64_t* origin_sequences = nullptr;  // one per record
    };
    [[nodiscard]] Readable readable() const;
    // Frees the first `count` readable slots and wakes a producer waiting for space.
    void consume(std::uint32_t count);
    // Before the consumer sleeps in poll() on data_fd(): announces it and returns false when
    // records arrived meanwhile (then it must not sleep). After waking (or not sleeping),
    // consumer_awake() withdraws the announcement and clears the eventfd.
    [[nodiscard]] bool consumer_may_sleep() const;
    void consumer_awake() const;
    // Both of the above around a poll() on data_fd() alone, at most `timeout`.
    void wait_for_data(std::chrono::milliseconds timeout) const;
    // Wakes a producer waiting for space, e.g. after setting `released`.
    void wake_producer() const;

    // ---- settled ranges, host -> runner
    // [host, one thread at a time] Posts a range; false when the runner has not taken the
    // previous kSettledSlots yet.
    bool post_settled(const pipeline::SettledRange& range) const;
    // [host] Wakes the runner's settlement thread after posts.
    void wake_settled() const;
    // [runner, one thread] Appends every posted range to `ranges`.
    void take_settled(std::vector<pipeline::SettledRange>& ranges) const;
    // [runner] Sleeps until a post after `seen` (a settled_signal value read before taking),
    // or at most `timeout`.
    void wait_settled(std::uint32_t seen, std::chrono::milliseconds timeout) const;

   private:
    EventRing(int memory_fd, int data_fd, int space_fd, void* mapping, std::size_t mapping_bytes);
    [[nodiscard]] mdp_event_t* slot(std::uint64_t position) const { return slots_ + (position & (capacity_ - 1)); }
    // Producer: sleeps until a slot is free, the ring is released, or a short safety timeout.
    void wait_for_space(std::uint64_t tail);
    static void signal(int fd);
    static void drain(int fd);

    int memory_fd_ = -1;
    int data_fd_ = -1;
    int space_fd_ = -1;
    void* mapping_ = nullptr;
    std::size_t mapping_bytes_ = 0;
    RingControl* control_ = nullptr;
    mdp_event_t* slots_ = nullptr;
    std::size_t capacity_ = 0;
    std::uint64_t* origin_sequences_ = nullptr;  // capacity_ of them, beside the slots
    std::uint32_t* origin_indexes_ = nullptr;  // capacity_ of them
    OriginText* origins_ = nullptr;  // kOriginSlots of them
    std::mutex producer_mutex_;  // a plugin publishes from any number of threads
};

}  // namespace mdp::isolation
