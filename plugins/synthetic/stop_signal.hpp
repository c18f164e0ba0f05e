#pragma once
// Lets worker threads sleep until a deadline, a stop request or a nudge (a backpressure
// change), whichever comes first. The stop flag is a cheap atomic for the hot loop.
// [any-thread].

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace mdp::synthetic {

class StopSignal {
   public:
    void request_stop() {
        {
            std::lock_guard lock(mutex_);
            stop_requested_.store(true, std::memory_order_release);
        }
        condition_.notify_all();
    }

    // [control-thread, no worker running] Clears a stop request, so workers can run again
    // (an in-place reconfigure restarts them).
    void reset() { stop_requested_.store(false, std::memory_order_release); }

    // Wakes sleepers early so they re-read the rate scale.
    void nudge() {
        {
            std::lock_guard lock(mutex_);
            ++nudges_;
        }
        condition_.notify_all();
    }

    [[nodiscard]] bool stop_requested() const noexcept { return stop_requested_.load(std::memory_order_acquire); }

    // Sleeps up to `timeout`; returns early on stop or nudge. Returns stop_requested().
    bool sleep_for(std::chrono::nanoseconds timeout) {
        std::unique_lock lock(mutex_);
        const std::uint64_t nudges_before = nudges_;
        condition_.wait_for(lock, timeout, [&] { return stop_requested() || nudges_ != nudges_before; });
        return stop_requested();
    }

   private:
    std::mutex mutex_;
    std::condition_variable condition_;
    std::atomic<bool> stop_requested_{false};
    std::uint64_t nudges_ = 0;  // guarded by mutex_
};

}  // namespace mdp::synthetic
