#pragma once
// How the control thread learns it should stop: SIGINT/SIGTERM (blocked in every thread and
// waited for synchronously, so no code runs in a signal handler), or request() from code.

#include <atomic>
#include <chrono>
#include <csignal>

namespace mdp::app {

class ShutdownSignal {
   public:
    // [main thread, before any other thread exists] Blocks SIGINT and SIGTERM in this thread;
    // threads created afterwards inherit the mask. Ignores SIGPIPE (sockets report EPIPE).
    ShutdownSignal();

    // [control-thread] Waits up to `timeout` for a signal or request(); true when one came.
    bool wait_for(std::chrono::milliseconds timeout);
    // [any-thread]
    void request() { requested_.store(true, std::memory_order_release); }
    [[nodiscard]] int received_signal() const { return signal_number_; }

   private:
    sigset_t signals_{};
    std::atomic<bool> requested_{false};
    int signal_number_ = 0;
};

}  // namespace mdp::app
