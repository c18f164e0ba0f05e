#pragma once
// An event count: lets a thread sleep until a condition over lock-free state becomes true,
// while the threads that change that state pay only a fence and one relaxed load when
// nobody sleeps. The condition is re-checked under the mutex, so no wake-up is lost.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace mdp::common {

class Wakeup {
   public:
    // [any-thread] Sleeps until `ready()` is true or `deadline` passes. Returns ready().
    template <typename Predicate, typename Clock, typename Duration>
    bool wait_until(Predicate ready, const std::chrono::time_point<Clock, Duration>& deadline) {
        if (ready()) {
            return true;
        }
        std::unique_lock lock(mutex_);
        waiters_.fetch_add(1, std::memory_order_seq_cst);
        std::atomic_thread_fence(std::memory_order_seq_cst);
        bool result = condition_.wait_until(lock, deadline, ready);
        waiters_.fetch_sub(1, std::memory_order_relaxed);
        return result;
    }

    // [any-thread] Sleeps until `ready()` is true.
    template <typename Predicate>
    void wait(Predicate ready) {
        if (ready()) {
            return;
        }
        std::unique_lock lock(mutex_);
        waiters_.fetch_add(1, std::memory_order_seq_cst);
        std::atomic_thread_fence(std::memory_order_seq_cst);
        condition_.wait(lock, ready);
        waiters_.fetch_sub(1, std::memory_order_relaxed);
    }

    // [any-thread] Call after changing the state a waiter's predicate reads.
    void notify_all() {
        std::atomic_thread_fence(std::memory_order_seq_cst);
        if (waiters_.load(std::memory_order_relaxed) == 0) {
            return;
        }
        { std::lock_guard lock(mutex_); }
        condition_.notify_all();
    }

   private:
    std::mutex mutex_;
    std::condition_variable condition_;
    std::atomic<int> waiters_{0};
};

}  // namespace mdp::common
