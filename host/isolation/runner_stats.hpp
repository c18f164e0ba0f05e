#pragma once
// What the host reports about one isolated provider across its runners: the current runner's
// pid and its crashes by signal. Owned by the provider instance, so it outlives each runner
// (a restart starts a new runner; the counts go on).

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace mdp::isolation {

class RunnerStats {
   public:
    // [control-thread] The running runner's pid, 0 when none.
    void set_pid(pid_t pid) { pid_.store(pid, std::memory_order_relaxed); }
    [[nodiscard]] pid_t pid() const { return pid_.load(std::memory_order_relaxed); }

    // [any-thread] A runner died without being asked to (a signal, an exit, a kill after a
    // missed deadline); `signal` is RunnerExit::signal_label().
    void count_crash(const std::string& signal) {
        std::lock_guard lock(mutex_);
        ++crashes_by_signal_[signal];
    }
    [[nodiscard]] std::map<std::string, std::uint64_t> crashes_by_signal() const {
        std::lock_guard lock(mutex_);
        return crashes_by_signal_;
    }

   private:
    std::atomic<pid_t> pid_{0};
    mutable std::mutex mutex_;
    std::map<std::string, std::uint64_t> crashes_by_signal_;
};

}  // namespace mdp::isolation
