#pragma once
// The bar timer thread: closes the host's bars on time when no tick arrives to close them
// (pipeline/bar_operator.hpp). Its own thread, not an existing periodic one, because queuing
// a bar may wait for space in a full store queue (overflow policy `block`): the control
// thread (lifecycle, reloads) and the feedback thread (which must deliver HARD while the queue
// is full) must never wait there.
//
// It wakes when the earliest open bar is due, at most kMaxSleep later (a bar opened meanwhile
// is due no earlier than its interval's end), and calls `close_due(now_ns)`, which closes what
// is due and returns when the next bar is due (UTC ns; BarBuilder::kNothingDue when none).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

namespace mdp::pipeline {

class BarTimer {
   public:
    using CloseDue = std::function<std::int64_t(std::int64_t now_ns)>;
    // The longest sleep between two calls of close_due.
    static constexpr std::chrono::milliseconds kMaxSleep{200};

    explicit BarTimer(CloseDue close_due) : close_due_(std::move(close_due)) {}
    ~BarTimer() { stop(); }
    BarTimer(const BarTimer&) = delete;
    BarTimer& operator=(const BarTimer&) = delete;

    // [control-thread] Starts the thread (once).
    void start();
    // [control-thread] Ends the thread after its current call; no-op when not running.
    void stop();

   private:
    void run();

    CloseDue close_due_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace mdp::pipeline
