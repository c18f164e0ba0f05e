#pragma once
// Watches the store queue depth and turns it into OK / SOFT / HARD with hysteresis: the
// depth rule with its SOFT band (backpressure_level.hpp) and a minimum dwell per level. Every transition becomes a status::FeedbackEvent delivered, in order, to
// the subscribers on the controller's own feedback thread, so slow subscribers never slow the
// publish path.

#include "common/wakeup.hpp"
#include "pipeline/backpressure_level.hpp"
#include "status/feedback_event.hpp"

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace mdp::pipeline {

class BackpressureController {
   public:
    using Subscriber = std::function<void(const status::FeedbackEvent&)>;
    using Ticker = std::function<void(std::chrono::steady_clock::time_point)>;
    // [any-thread] The queue's current depth; must be cheap and must not call the controller.
    using DepthSource = std::function<std::size_t()>;

    static constexpr std::size_t kRecentEvents = 50;
    static constexpr std::chrono::milliseconds kTickInterval{100};

    BackpressureController(std::size_t capacity, Watermarks marks, std::string coordinator_id, DepthSource depth_source,
                           Hysteresis hysteresis = {});
    ~BackpressureController();
    BackpressureController(const BackpressureController&) = delete;
    BackpressureController& operator=(const BackpressureController&) = delete;

    // [control-thread, before start()] Called for every transition, on the feedback thread.
    void subscribe(Subscriber subscriber);
    // [control-thread, before start()] Called every kTickInterval on the feedback thread
    // (after the tick re-reads the depth), e.g. for gradual recovery.
    void on_tick(Ticker ticker);

    void start();  // [control-thread] starts the feedback thread
    void stop();  // [control-thread] delivers what is pending, joins; idempotent

    // [any-thread] Evaluates `depth`, the caller's reading of the depth source; returns the
    // level after it. Lock-free unless the reading calls for a transition, which is then
    // decided on a fresh reading of the depth source, taken under the lock. A change other
    // than to HARD waits until the current level has been held for the minimum dwell (the
    // next observation after it decides again; the feedback thread observes every
    // kTickInterval), except HARD -> OK on an empty queue, which is never delayed.
    Level observe(std::size_t depth);
    // observe() at a given time: for tests and benchmarks that drive the clock themselves.
    Level observe_at(std::size_t depth, std::chrono::steady_clock::time_point now);
    [[nodiscard]] Hysteresis hysteresis() const { return hysteresis_; }
    [[nodiscard]] Level level() const { return level_.load(std::memory_order_acquire); }
    [[nodiscard]] Watermarks watermarks() const { return marks_; }
    [[nodiscard]] std::size_t capacity() const { return capacity_; }
    [[nodiscard]] const std::string& coordinator_id() const { return coordinator_id_; }
    // [any-thread] The most recent transitions, oldest first.
    [[nodiscard]] std::vector<status::FeedbackEvent> recent_events() const;

   private:
    status::FeedbackEvent make_event(Level from, Level to, std::size_t depth) const;
    [[nodiscard]] bool dwell_allows(Level current, Level next, std::size_t depth,
                                    std::chrono::steady_clock::time_point now) const;
    void run();
    void deliver_pending();
    // [feedback-thread] Logging of transitions, rate-limited (see the .cpp).
    void log_transition(const status::FeedbackEvent& event, bool flush);
    void flush_transition_log();

    const std::size_t capacity_;
    const Watermarks marks_;
    const std::string coordinator_id_;
    const DepthSource depth_source_;
    const Hysteresis hysteresis_;
    std::atomic<Level> level_{Level::ok};
    // steady_clock nanoseconds of the last transition; the first one is never delayed.
    std::atomic<std::int64_t> last_change_ns_{std::numeric_limits<std::int64_t>::min() / 2};

    mutable std::mutex events_mutex_;  // guards pending_ and recent_; taken on transitions only
    std::deque<status::FeedbackEvent> pending_;
    std::deque<status::FeedbackEvent> recent_;

    std::vector<Subscriber> subscribers_;
    std::vector<Ticker> tickers_;
    common::Wakeup wakeup_;
    std::atomic<bool> running_{false};
    std::thread thread_;

    static constexpr std::chrono::seconds kLogInterval{1};
    std::chrono::steady_clock::time_point last_log_time_{};
    std::optional<status::FeedbackEvent> unlogged_;  // newest transition not logged yet
    std::uint64_t unlogged_count_ = 0;
};

}  // namespace mdp::pipeline
