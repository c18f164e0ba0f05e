#pragma once
// The store coordinator: the single consumer of the store queue. It drains the queue in
// batches by group commit (batching_rule.hpp): an idle sink gets what is queued at once
// (after at most coalesce_wait_us), and what queues up while a write is in flight forms the
// next batch, up to the largest batch any sink prefers. It writes each batch to every sink.
// A failing sink is retried with capped exponential backoff: the coordinator is the one
// layer that retries (a sink's write() makes one attempt) — the batch is never skipped, so under the `block` policy the queue fills, backpressure rises, and nothing
// is lost. Only a shutdown whose drain deadline passes gives up, and says how much.
//
// Pipelined sinks (Sink::max_pending_writes() > 1): the coordinator keeps up to the largest
// such limit of batches started and unconfirmed, each in a buffer of its own, and settles
// them (counts, latency, stored acknowledgements) oldest first once every sink confirmed
// them; a sink that fails forgets its unconfirmed batches, and the coordinator writes them
// again in order with write() and the same backoff. These batches are off the queue and
// not counted in its depth: up to that many times max_batch_size events more in memory.

#include "status/host_snapshot.hpp"
#include "common/retry_backoff.hpp"
#include "config/host_config.hpp"
#include "metrics/histogram.hpp"
#include "pipeline/backpressure_controller.hpp"
#include "pipeline/batching_rule.hpp"
#include "pipeline/store_queue.hpp"
#include "pipeline/stored_acks.hpp"
#include "sinks/sink.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mdp::pipeline {

class StoreCoordinator {
   public:
    StoreCoordinator(StoreQueue& queue, BackpressureController& controller,
                     std::vector<std::unique_ptr<sinks::Sink>> sinks, const config::StoreConfig& config);
    ~StoreCoordinator();
    StoreCoordinator(const StoreCoordinator&) = delete;
    StoreCoordinator& operator=(const StoreCoordinator&) = delete;

    // [control-thread] Opens every sink; throws sinks::SinkError("sink <name>: <reason>").
    void open_sinks(const sinks::SinkContext& context);
    // [control-thread, before start()] Where batches report their settlement (stored by every
    // sink, or given up at the shutdown deadline); this thread delivers the acknowledgements.
    // Optional; `acks` must outlive the coordinator.
    void set_stored_acks(StoredAcks* acks) { stored_acks_ = acks; }
    // [control-thread, before start()] `observer` runs on the coordinator thread with every
    // batch taken off the queue, in queue order, before the batch is written (symbol tracking).
    using BatchObserver = std::function<void(std::span<const StoreEvent>)>;
    void observe_batches(BatchObserver observer) { batch_observer_ = std::move(observer); }
    // [control-thread] Starts the coordinator thread.
    void start();
    // [control-thread] After the queue was closed: drains what is queued into the sinks
    // (giving up on a failing sink after shutdown_drain_timeout_ms), closes the sinks, joins.
    // Returns how many queued events could not be stored (0 on a clean drain).
    std::uint64_t drain_and_stop();

    [[nodiscard]] std::vector<status::SinkSnapshot> sink_snapshots() const;
    [[nodiscard]] metrics::HistogramSnapshot latency_snapshot() const { return latency_seconds_.snapshot(); }
    [[nodiscard]] std::uint64_t not_stored() const { return not_stored_.load(std::memory_order_relaxed); }
    // The batching limits in force: the store config's, with max_batch_size raised to the
    // largest batch a sink prefers (capped at the queue's capacity).
    [[nodiscard]] const BatchingLimits& batching_limits() const { return batching_.limits(); }

   private:
    struct SinkState {
        std::unique_ptr<sinks::Sink> sink;
        std::size_t max_pending = 1;  // pending_limit(): the sink's max_pending_writes(); above 1: pipelined
        // Batches started on this sink and not yet confirmed: always the newest `unconfirmed`
        // of the pending batches (coordinator thread only).
        std::size_t unconfirmed = 0;
        metrics::Histogram write_duration_seconds{metrics::Histogram::duration_bounds_seconds()};
        std::atomic<std::uint64_t> events_stored{0};
        std::atomic<std::uint64_t> batches_written{0};
        std::atomic<std::uint64_t> write_errors{0};
        std::atomic<std::uint64_t> retries{0};  // writes repeated after a failed one
        std::atomic<bool> healthy{true};
        std::atomic<std::int64_t> last_success_ns{0};
        std::atomic<std::int64_t> write_started_ns{0};  // 0 when no call into the sink is in progress
        std::atomic<double> last_write_seconds{0.0};
        mutable std::mutex error_mutex;
        std::string last_error;
    };

    // A batch taken off the queue and not yet settled; its buffer is reused.
    struct PendingBatch {
        std::vector<StoreEvent> events;  // capacity: max_batch_size
        std::size_t size = 0;
        std::chrono::steady_clock::time_point started;
        bool stored_everywhere = true;
        [[nodiscard]] std::span<const StoreEvent> span() const { return {events.data(), size}; }
    };

    void run();
    // Pops up to `count` events and starts writing them to every sink, after settling the
    // oldest pending batch when the window is full; false when the queue handed out nothing
    // (a producer is still copying into a claimed slot).
    bool write_next_batch(std::size_t count);
    void start_everywhere(PendingBatch& batch);
    // Waits until every sink confirmed the oldest pending batch, then settles it.
    void settle_oldest();
    // Settles the oldest pending batches that no sink holds unconfirmed.
    void settle_confirmed();
    void settle(PendingBatch& batch);
    // `state`'s unconfirmed batches are the pending ones just before index `end`: waits for
    // the oldest of them to be confirmed, or writes them all again when the sink fails.
    void confirm_oldest(SinkState& state, std::size_t end);
    // After `state`'s sink failed: writes its unconfirmed batches (those before `end`) again,
    // oldest first, and with that has none.
    void rewrite_unconfirmed(SinkState& state, std::size_t end);
    [[nodiscard]] PendingBatch& pending_at(std::size_t index) { return pending_[(oldest_ + index) % pending_.size()]; }
    // Writes to one sink until it succeeds; false when the shutdown deadline gave up.
    // `failed_attempts`: attempts at this batch that already failed (the first retry waits).
    bool write_with_retry(SinkState& state, std::span<const StoreEvent> batch, std::uint32_t failed_attempts = 0);
    // One call into the sink (write, start_write or finish_write), timed for the stall check;
    // false when it threw (counted and logged).
    template <typename Call>
    bool attempt(SinkState& state, std::size_t batch_events, Call&& call);
    void record_stored(SinkState& state, std::size_t batch_events, std::chrono::steady_clock::time_point started);
    void record_latency(std::span<const StoreEvent> batch);
    bool give_up_now() const;

    StoreQueue& queue_;
    BackpressureController& controller_;
    const config::StoreConfig config_;
    std::vector<std::unique_ptr<SinkState>> sinks_;
    BatchingRule batching_;
    std::vector<PendingBatch> pending_;  // a ring: as many as the largest max_pending_writes()
    std::size_t oldest_ = 0;  // index into pending_ of the oldest pending batch
    std::size_t pending_count_ = 0;
    BatchObserver batch_observer_;
    metrics::Histogram latency_seconds_{metrics::Histogram::event_latency_bounds_seconds()};
    std::vector<std::uint64_t> latency_counts_;  // per-batch scratch, reused: no allocation per batch
    common::RetryBackoff retry_backoff_;  // between attempts at a batch a sink refused
    StoredAcks* stored_acks_ = nullptr;
    std::atomic<std::uint64_t> not_stored_{0};
    std::atomic<bool> stopping_{false};
    std::atomic<std::int64_t> give_up_at_ns_{0};  // steady-clock ns; 0 = never
    std::thread thread_;
};

}  // namespace mdp::pipeline
