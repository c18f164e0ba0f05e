#pragma once
// An event count: lets a thread sleep until a condition over lock-free state becomes true,
// while the threads that change that state pay one uncontended read-modify-write when nobody
// sleeps. The condition is re-checked under the mutex, so no wake-up is lost.
//
// Why no wake-up is lost, with no fence (ThreadSanitizer does not model standalone fences,
// so the synchronisation must live in atomic operations it does model): a waiter registers
// with a read-modify-write on `waiters_` and then evaluates the condition; a notifier changes
// the state and then reads `waiters_` with a read-modify-write too. Read-modify-writes of one
// variable are totally ordered. If the waiter's comes first, the notifier sees a waiter and
// wakes it through the mutex. If the notifier's comes first, the waiter's read-modify-write
// reads from it (acquire after release), so the waiter's condition sees the notifier's change.

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
        waiters_.fetch_add(1, std::memory_order_acq_rel);
        const bool result = condition_.wait_until(lock, deadline, ready);
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
        waiters_.fetch_add(1, std::memory_order_acq_rel);
        condition_.wait(lock, ready);
        waiters_.fetch_sub(1, std::memory_order_relaxed);
    }

    // [any-thread] Call after changing the state a waiter's predicate reads.
    void notify_all() {
        // Adding 0 is the read-modify-write that orders this call with a waiter's registration.
        if (waiters_.fetch_add(0, std::memory_order_acq_rel) == 0) {
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
