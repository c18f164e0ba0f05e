#pragma once
// The store coordinator's group-commit rule: when to write a batch and how many events it
// takes, decided from the queue depth and the time alone. It holds no clock and no queue, so
// it is tested with made-up times.
//
// The rule (docs/configuration.md, `store`):
//  - A write takes everything queued, up to `max_batch_size` events.
//  - It starts at once when `batch_size` events are queued. Otherwise it starts when the
//    oldest queued event has waited `coalesce_wait`: measured from the moment the idle
//    coordinator saw it, or, for events that arrived while a write was in flight, from the
//    start of that write (the write itself was their coalescing time). With a zero wait an
//    idle sink writes the first event at once and whatever queued up during a write forms
//    the next batch as soon as that write ends: batches grow exactly when load grows.
//  - With nothing queued the coordinator sleeps until an event arrives, waking at least every
//    `idle_wake` to report the queue depth.
//  - Nothing waits while draining at shutdown, nor with a backlog (the backpressure level
//    SOFT or HARD), where the providers are slowed or paused (HARD's scale is 0 by default)
//    until the queue drains. A coalescing wait there held an idle sink and a paused provider
//    in front of each other until the wait ran out (measured: 0.13-0.30 M events/s instead
//    of 15 with `coalesce_wait_us` 250000). The coordinator also wakes at the HARD watermark
//    at the latest (store_coordinator.cpp), which a batch_size above it would not reach.

#include <chrono>
#include <cstddef>
#include <optional>

namespace mdp::pipeline {

struct BatchingLimits {
    std::size_t batch_size = 500;  // a write starts without waiting once this many are queued
    std::size_t max_batch_size = 500;  // most events one write takes (>= batch_size)
    std::chrono::nanoseconds coalesce_wait{0};  // how long an idle sink waits for more events
    std::chrono::nanoseconds idle_wake{std::chrono::milliseconds(250)};  // wake-up period with nothing queued
};

class BatchingRule {
   public:
    using TimePoint = std::chrono::steady_clock::time_point;

    // What to do next: write `write_count` events now, or (write_count == 0) sleep until
    // `wake_at_depth` events are queued or `wake_at` passes, then decide again.
    struct Decision {
        std::size_t write_count = 0;
        std::size_t wake_at_depth = 0;
        TimePoint wake_at{};
    };

    explicit BatchingRule(const BatchingLimits& limits);

    // [coordinator thread] The decision for `depth` events queued at `now`; `no_wait`: write
    // everything queued without waiting (draining at shutdown, or a backlog).
    [[nodiscard]] Decision decide(std::size_t depth, TimePoint now, bool no_wait = false);

    // [coordinator thread] A write that started at `started` has ended (stored or given up).
    void write_finished(TimePoint started);

    [[nodiscard]] const BatchingLimits& limits() const { return limits_; }

   private:
    [[nodiscard]] Decision write(std::size_t depth) const;

    BatchingLimits limits_;
    // Since when the oldest queued event has been waiting, as far as the coordinator knows;
    // unset when the queue was last seen empty.
    std::optional<TimePoint> waiting_since_;
};

}  // namespace mdp::pipeline
