#include "pipeline/backpressure_controller.hpp"

#include "common/clock.hpp"

#include <spdlog/spdlog.h>

namespace mdp::pipeline {

namespace {
// Transitions waiting for the feedback thread are few; a bound keeps a pathological
// oscillation from growing memory. The newest transition always survives.
constexpr std::size_t kMaxPending = 1024;
}  // namespace

BackpressureController::BackpressureController(std::size_t capacity, Watermarks marks, std::string coordinator_id,
                                               DepthSource depth_source, Hysteresis hysteresis)
    : capacity_(capacity), marks_(marks), coordinator_id_(std::move(coordinator_id)),
      depth_source_(std::move(depth_source)), hysteresis_(hysteresis) {}

BackpressureController::~BackpressureController() { stop(); }

void BackpressureController::subscribe(Subscriber subscriber) { subscribers_.push_back(std::move(subscriber)); }

void BackpressureController::on_tick(Ticker ticker) { tickers_.push_back(std::move(ticker)); }

Level BackpressureController::observe(std::size_t depth) { return observe_at(depth, std::chrono::steady_clock::now()); }

bool BackpressureController::dwell_allows(Level current, Level next, std::size_t depth,
                                          std::chrono::steady_clock::time_point now) const {
    if (next == Level::hard || hysteresis_.min_dwell.count() == 0) {
        return true;
    }
    if (current == Level::hard && depth == 0) {
        // HARD pauses the providers; once the sinks have taken everything, holding the pause
        // for the rest of the dwell would only leave them idle (an unthrottled provider then
        // stored one queue-full per dwell).
        return true;
    }
    const std::int64_t held_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count() -
                                 last_change_ns_.load(std::memory_order_acquire);
    return held_ns >= std::chrono::nanoseconds(hysteresis_.min_dwell).count();
}

Level BackpressureController::observe_at(std::size_t depth, std::chrono::steady_clock::time_point now) {
    Level current = level_.load(std::memory_order_acquire);
    Level next = next_level(current, depth, marks_, hysteresis_.soft_band);
    if (next == current || !dwell_allows(current, next, depth, now)) {
        return current;
    }
    {
        // Decided again under the lock, on a depth read under it: the caller's reading may be
        // stale (its thread can be preempted between reading and calling), and another
        // observer may have moved the level meanwhile. A transition from a stale reading could
        // undo a newer one, e.g. HARD after the queue had drained; reading under the lock
        // makes transitions follow the order of their readings.
        std::lock_guard lock(events_mutex_);
        depth = depth_source_();
        current = level_.load(std::memory_order_relaxed);
        next = next_level(current, depth, marks_, hysteresis_.soft_band);
        if (next == current || !dwell_allows(current, next, depth, now)) {
            return current;
        }
        last_change_ns_.store(std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count(),
                              std::memory_order_release);
        level_.store(next, std::memory_order_release);
        status::FeedbackEvent event = make_event(current, next, depth);
        if (pending_.size() == kMaxPending) {
            pending_.pop_front();
        }
        pending_.push_back(event);
        if (recent_.size() == kRecentEvents) {
            recent_.pop_front();
        }
        recent_.push_back(std::move(event));
    }
    // Outside events_mutex_: the feedback thread's wait predicate takes it under the
    // wakeup's own mutex, so notifying while holding it would invert the lock order.
    wakeup_.notify_all();
    return next;
}

status::FeedbackEvent BackpressureController::make_event(Level from, Level to, std::size_t depth) const {
    status::FeedbackEvent event;
    event.coordinator_id = coordinator_id_;
    event.queue_size = depth;
    event.capacity = capacity_;
    event.level = std::string(to_string(to));
    event.level_value = static_cast<int>(to);
    event.utilization = capacity_ == 0 ? 0.0 : static_cast<double>(depth) / static_cast<double>(capacity_);
    event.timestamp_ns = common::utc_now_ns();
    const std::string depth_text = "depth " + std::to_string(depth);
    switch (to) {
        case Level::hard:
            event.reason = depth_text + " >= high watermark " + std::to_string(marks_.high);
            break;
        case Level::soft:
            event.reason = depth_text + " > low watermark " + std::to_string(marks_.low);
            break;
        case Level::ok:
            event.reason = depth_text + " <= low watermark " + std::to_string(marks_.low) + " (was " +
                           std::string(to_string(from)) + ")";
            break;
    }
    return event;
}

std::vector<status::FeedbackEvent> BackpressureController::recent_events() const {
    std::lock_guard lock(events_mutex_);
    return {recent_.begin(), recent_.end()};
}

void BackpressureController::start() {
    if (running_.exchange(true)) {
        return;
    }
    thread_ = std::thread([this] { run(); });
}

void BackpressureController::stop() {
    if (!running_.exchange(false)) {
        return;
    }
    wakeup_.notify_all();
    thread_.join();
    deliver_pending();
    if (unlogged_) {
        const status::FeedbackEvent latest = *unlogged_;
        log_transition(latest, true);
    }
}

void BackpressureController::log_transition(const status::FeedbackEvent& event, bool flush) {
    // A queue hovering at a watermark can change level hundreds of times a second: log at
    // most one transition per second, and say how many were folded into it.
    const auto now = std::chrono::steady_clock::now();
    if (!flush && now - last_log_time_ < kLogInterval) {
        unlogged_ = event;
        ++unlogged_count_;
        return;
    }
    const std::string folded =
        unlogged_count_ > 1 ? " (" + std::to_string(unlogged_count_ - 1) + " earlier transitions not logged)" : "";
    const auto level = event.level_value == static_cast<int>(Level::ok) ? spdlog::level::info : spdlog::level::warn;
    spdlog::log(level, "backpressure {}: {} (utilization {:.2f}){}", event.level, event.reason, event.utilization,
                folded);
    last_log_time_ = now;
    unlogged_.reset();
    unlogged_count_ = 0;
}

void BackpressureController::deliver_pending() {
    std::deque<status::FeedbackEvent> batch;
    {
        std::lock_guard lock(events_mutex_);
        batch.swap(pending_);
    }
    for (const auto& event : batch) {
        log_transition(event, false);
        for (const auto& subscriber : subscribers_) {
            subscriber(event);
        }
    }
}

void BackpressureController::flush_transition_log() {
    if (unlogged_ && std::chrono::steady_clock::now() - last_log_time_ >= kLogInterval) {
        const status::FeedbackEvent latest = *unlogged_;
        log_transition(latest, true);
    }
}

void BackpressureController::run() {
    auto next_tick = std::chrono::steady_clock::now() + kTickInterval;
    while (running_.load(std::memory_order_acquire)) {
        wakeup_.wait_until(
            [this] {
                std::lock_guard lock(events_mutex_);
                return !pending_.empty() || !running_.load(std::memory_order_relaxed);
            },
            next_tick);
        deliver_pending();
        const auto now = std::chrono::steady_clock::now();
        if (now >= next_tick) {
            // Re-reading the depth here corrects a level decided on a stale reading by a
            // producer racing the consumer, and notices a queue that nobody touches.
            observe(depth_source_());
            deliver_pending();
            flush_transition_log();
            for (const auto& ticker : tickers_) {
                ticker(now);
            }
            next_tick = now + kTickInterval;
        }
    }
}

}  // namespace mdp::pipeline
