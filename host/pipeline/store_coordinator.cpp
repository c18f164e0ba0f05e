#include "pipeline/store_coordinator.hpp"

#include "common/clock.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace mdp::pipeline {

namespace {

std::int64_t steady_now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

BatchingLimits limits_for(const config::StoreConfig& config, std::size_t queue_capacity,
                          const std::vector<std::unique_ptr<sinks::Sink>>& sinks) {
    BatchingLimits limits;
    limits.batch_size = config.batch_size;
    limits.max_batch_size = config.batch_size;
    for (const auto& sink : sinks) {
        limits.max_batch_size = std::max(limits.max_batch_size, sink->preferred_batch_size());
    }
    // More than the queue holds can never be popped at once.
    limits.max_batch_size = std::min(limits.max_batch_size, std::max(queue_capacity, limits.batch_size));
    limits.coalesce_wait = std::chrono::microseconds(config.coalesce_wait_us);
    limits.idle_wake = std::chrono::milliseconds(config.flush_interval_ms);
    return limits;
}

// A write in progress for longer than this makes the sink unhealthy (stalled), even before
// it fails: readiness must notice a store that hangs, not only one that errors.
constexpr std::int64_t kStalledWriteNs = 5'000'000'000;

// How many batches `sink` is given before the first is confirmed: its max_pending_writes(),
// bounded, since the coordinator holds each in a buffer of max_batch_size events.
std::size_t pending_limit(const sinks::Sink& sink) {
    constexpr std::size_t kMostPendingBatches = 16;
    return std::clamp<std::size_t>(sink.max_pending_writes(), 1, kMostPendingBatches);
}

// Buffers for as many batches as the most pipelined sink takes.
std::size_t pending_window(const std::vector<std::unique_ptr<sinks::Sink>>& sinks) {
    std::size_t window = 1;
    for (const auto& sink : sinks) {
        window = std::max(window, pending_limit(*sink));
    }
    return window;
}

}  // namespace

StoreCoordinator::StoreCoordinator(StoreQueue& queue, BackpressureController& controller,
                                   std::vector<std::unique_ptr<sinks::Sink>> sinks, const config::StoreConfig& config)
    : queue_(queue), controller_(controller), config_(config), batching_(limits_for(config, queue.capacity(), sinks)),
      pending_(pending_window(sinks)), latency_counts_(latency_seconds_.bucket_count(), 0),
      retry_backoff_(std::chrono::milliseconds(config.retry_initial_backoff_ms),
                     std::chrono::milliseconds(config.retry_max_backoff_ms)) {
    for (PendingBatch& batch : pending_) {
        batch.events.resize(batching_.limits().max_batch_size);
    }
    for (auto& sink : sinks) {
        auto state = std::make_unique<SinkState>();
        state->max_pending = pending_limit(*sink);
        state->sink = std::move(sink);
        sinks_.push_back(std::move(state));
    }
}

StoreCoordinator::~StoreCoordinator() {
    if (thread_.joinable()) {
        queue_.close();
        drain_and_stop();
    }
}

void StoreCoordinator::open_sinks(const sinks::SinkContext& context) {
    for (auto& state : sinks_) {
        try {
            state->sink->open(context);
        } catch (const std::exception& error) {
            throw sinks::SinkError("sink " + state->sink->name() + " (" + state->sink->type() + "): " + error.what());
        }
    }
}

void StoreCoordinator::start() {
    thread_ = std::thread([this] { run(); });
}

std::uint64_t StoreCoordinator::drain_and_stop() {
    if (!thread_.joinable()) {
        return not_stored();
    }
    give_up_at_ns_.store(steady_now_ns() + config_.shutdown_drain_timeout_ms * 1'000'000, std::memory_order_relaxed);
    stopping_.store(true, std::memory_order_release);
    thread_.join();
    for (auto& state : sinks_) {
        try {
            state->sink->close();
        } catch (const std::exception& error) {
            spdlog::error("sink {}: close failed: {}", state->sink->name(), error.what());
        }
    }
    return not_stored();
}

bool StoreCoordinator::give_up_now() const {
    const std::int64_t deadline = give_up_at_ns_.load(std::memory_order_relaxed);
    return deadline != 0 && steady_now_ns() >= deadline;
}

void StoreCoordinator::run() {
    while (true) {
        const bool draining = stopping_.load(std::memory_order_acquire) && queue_.closed();
        const std::size_t depth = queue_.depth();
        if (draining && depth == 0 && pending_count_ == 0) {
            break;
        }
        // Above the low watermark (SOFT or HARD) there is a backlog, and the providers are slowed
        // or paused (HARD's scale is 0 by default) until it drains: a coalescing wait would
        // only hold them up.
        const bool backlogged = controller_.level() != Level::ok;
        const BatchingRule::Decision decision =
            batching_.decide(depth, std::chrono::steady_clock::now(), draining || backlogged);
        if (stored_acks_ != nullptr) {
            stored_acks_->deliver();  // what settled since: written batches, refusals, evictions
        }
        // With batches unconfirmed, the next one starts only when it is full (or the queue is
        // at its HARD watermark, where the providers pause): until then waiting for the oldest
        // confirmation is the next batch's coalescing time, as a write in flight is for a sink
        // that is not pipelined (fewer, larger writes under load).
        const std::size_t full_batch = std::min(batching_.limits().max_batch_size, controller_.watermarks().high);
        if (pending_count_ > 0 && decision.write_count < full_batch) {
            settle_oldest();
            continue;
        }
        if (decision.write_count == 0) {
            // Wake at the HARD watermark at the latest: with a batch_size above it the
            // providers would pause before the batch could fill.
            queue_.wait_for_depth(std::min(decision.wake_at_depth, controller_.watermarks().high), decision.wake_at);
            controller_.observe(queue_.depth());
            continue;
        }
        if (!write_next_batch(decision.write_count)) {
            std::this_thread::yield();  // a producer is still copying into a claimed slot
        }
    }
}

bool StoreCoordinator::write_next_batch(std::size_t count) {
    if (pending_count_ == pending_.size()) {
        settle_oldest();
    }
    PendingBatch& batch = pending_at(pending_count_);
    batch.started = std::chrono::steady_clock::now();
    batch.size = queue_.pop(std::span<StoreEvent>(batch.events.data(), std::min(count, batch.events.size())));
    controller_.observe(queue_.depth());
    if (batch.size == 0) {
        return false;
    }
    ++pending_count_;
    if (batch_observer_) {
        batch_observer_(batch.span());
    }
    batch.stored_everywhere = true;
    start_everywhere(batch);
    batching_.write_finished(batch.started);
    settle_confirmed();
    return true;
}

void StoreCoordinator::start_everywhere(PendingBatch& batch) {
    const std::size_t end = pending_count_;  // `batch` is the newest pending batch
    for (auto& state : sinks_) {
        if (state->max_pending == 1) {
            batch.stored_everywhere = write_with_retry(*state, batch.span()) && batch.stored_everywhere;
            continue;
        }
        while (state->unconfirmed >= state->max_pending) {
            confirm_oldest(*state, end - 1);  // a sink with a smaller window than the coordinator's
        }
        ++state->unconfirmed;
        if (!attempt(*state, batch.size, [&] { state->sink->start_write(batch.span()); })) {
            rewrite_unconfirmed(*state, end);  // the sink forgot it with the others
        }
    }
}

void StoreCoordinator::settle_oldest() {
    for (auto& state : sinks_) {
        if (state->unconfirmed == pending_count_) {  // the oldest batch is among them
            confirm_oldest(*state, pending_count_);
        }
    }
    settle(pending_at(0));
}

void StoreCoordinator::confirm_oldest(SinkState& state, std::size_t end) {
    PendingBatch& batch = pending_at(end - state.unconfirmed);
    if (attempt(state, batch.size, [&] { state.sink->finish_write(); })) {
        --state.unconfirmed;
        record_stored(state, batch.size, batch.started);
    } else {
        rewrite_unconfirmed(state, end);
    }
}

void StoreCoordinator::settle_confirmed() {
    while (pending_count_ > 0 && std::all_of(sinks_.begin(), sinks_.end(),
                                             [&](const auto& state) { return state->unconfirmed < pending_count_; })) {
        settle(pending_at(0));
    }
}

void StoreCoordinator::settle(PendingBatch& batch) {
    if (batch.stored_everywhere) {
        record_latency(batch.span());
    } else {
        not_stored_.fetch_add(batch.size, std::memory_order_relaxed);
    }
    if (stored_acks_ != nullptr) {
        stored_acks_->batch_settled(batch.span(), batch.stored_everywhere ? Settlement::stored : Settlement::dropped);
    }
    oldest_ = (oldest_ + 1) % pending_.size();
    --pending_count_;
}

void StoreCoordinator::rewrite_unconfirmed(SinkState& state, std::size_t end) {
    const std::size_t first = end - state.unconfirmed;
    state.unconfirmed = 0;
    for (std::size_t index = first; index < end; ++index) {
        PendingBatch& batch = pending_at(index);
        // The first of them failed just now: its retry waits the backoff.
        batch.stored_everywhere =
            write_with_retry(state, batch.span(), index == first ? 1 : 0) && batch.stored_everywhere;
    }
}

bool StoreCoordinator::write_with_retry(SinkState& state, std::span<const StoreEvent> batch,
                                        std::uint32_t failed_attempts) {
    while (true) {
        if (failed_attempts > 0) {
            if (give_up_now()) {
                spdlog::error("sink {}: giving up on a batch of {} events at the shutdown drain deadline",
                              state.sink->name(), batch.size());
                return false;
            }
            // The queue keeps filling meanwhile; the controller must see it even with providers
            // paused, so observe here too.
            controller_.observe(queue_.depth());
            std::this_thread::sleep_for(retry_backoff_.delay_before_retry(failed_attempts));
            state.retries.fetch_add(1, std::memory_order_relaxed);
        }
        const auto started = std::chrono::steady_clock::now();
        if (attempt(state, batch.size(), [&] { state.sink->write(batch); })) {
            record_stored(state, batch.size(), started);
            return true;
        }
        ++failed_attempts;
    }
}

template <typename Call>
bool StoreCoordinator::attempt(SinkState& state, std::size_t batch_events, Call&& call) {
    state.write_started_ns.store(common::utc_now_ns(), std::memory_order_relaxed);
    try {
        std::forward<Call>(call)();
        state.write_started_ns.store(0, std::memory_order_relaxed);
        return true;
    } catch (const std::exception& error) {
        state.write_started_ns.store(0, std::memory_order_relaxed);
        state.write_errors.fetch_add(1, std::memory_order_relaxed);
        {
            std::lock_guard lock(state.error_mutex);
            state.last_error = error.what();
        }
        if (state.healthy.exchange(false)) {
            spdlog::error("sink {}: write failed, retrying the batch of {} events: {}", state.sink->name(),
                          batch_events, error.what());
        }
        return false;
    }
}

void StoreCoordinator::record_stored(SinkState& state, std::size_t batch_events,
                                     std::chrono::steady_clock::time_point started) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    state.write_duration_seconds.observe(seconds);
    state.last_write_seconds.store(seconds, std::memory_order_relaxed);
    state.events_stored.fetch_add(batch_events, std::memory_order_relaxed);
    state.batches_written.fetch_add(1, std::memory_order_relaxed);
    state.last_success_ns.store(common::utc_now_ns(), std::memory_order_relaxed);
    if (!state.healthy.exchange(true)) {
        spdlog::info("sink {}: writing again", state.sink->name());
    }
}

void StoreCoordinator::record_latency(std::span<const StoreEvent> batch) {
    auto& counts = latency_counts_;
    std::fill(counts.begin(), counts.end(), 0);
    const std::int64_t now_ns = common::utc_now_ns();
    double sum_seconds = 0.0;
    for (const auto& record : batch) {
        const double seconds =
            static_cast<double>(std::max<std::int64_t>(0, now_ns - record.event.receive_time_ns)) / 1e9;
        ++counts[latency_seconds_.bucket_index(seconds)];
        sum_seconds += seconds;
    }
    latency_seconds_.observe_bucketed(counts, sum_seconds);
}

std::vector<status::SinkSnapshot> StoreCoordinator::sink_snapshots() const {
    std::vector<status::SinkSnapshot> result;
    const std::int64_t now_ns = common::utc_now_ns();
    for (const auto& state : sinks_) {
        status::SinkSnapshot sink;
        sink.name = state->sink->name();
        sink.type = state->sink->type();
        sink.events_stored = state->events_stored.load(std::memory_order_relaxed);
        sink.batches_written = state->batches_written.load(std::memory_order_relaxed);
        sink.write_errors = state->write_errors.load(std::memory_order_relaxed);
        sink.retries = state->retries.load(std::memory_order_relaxed);
        sink.last_write_seconds = state->last_write_seconds.load(std::memory_order_relaxed);
        sink.last_success_ns = state->last_success_ns.load(std::memory_order_relaxed);
        sink.write_duration_seconds = state->write_duration_seconds.snapshot();
        sinks::SinkStats own = state->sink->stats();
        sink.rows_by_table = std::move(own.rows_by_table);
        sink.errors_by_kind = std::move(own.errors_by_kind);
        sink.circuit_state = std::move(own.circuit_state);
        sink.destination = state->sink->destination();
        const std::int64_t write_started = state->write_started_ns.load(std::memory_order_relaxed);
        const bool stalled = write_started != 0 && now_ns - write_started > kStalledWriteNs;
        sink.healthy = state->healthy.load(std::memory_order_relaxed) && !stalled;
        {
            std::lock_guard lock(state->error_mutex);
            sink.last_error = stalled ? "write in progress for more than 5 s" : state->last_error;
        }
        result.push_back(std::move(sink));
    }
    return result;
}

}  // namespace mdp::pipeline
