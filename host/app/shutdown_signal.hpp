#pragma once
// How the control thread learns it should stop: SIGINT/SIGTERM (blocked in every thread and
// waited for synchronously, so no code runs in a signal handler), or request() from code.
// SIGHUP, waited for the same way, asks for a config reload instead (take_reload_signal()).

#include <atomic>
#include <chrono>
#include <csignal>
#include <utility>

namespace mdp::app {

class ShutdownSignal {
   public:
    // [main thread, before any other thread exists] Blocks SIGINT, SIGTERM and SIGHUP in this thread;
    // threads created afterwards inherit the mask. Ignores SIGPIPE (sockets report EPIPE).
    ShutdownSignal();

    // [control-thread] Waits up to `timeout` for a stop signal or request(); true when one
    // came. A SIGHUP ends the wait early (false) and is remembered for take_reload_signal().
    bool wait_for(std::chrono::milliseconds timeout);
    // [control-thread] True once per SIGHUP received since the last call.
    bool take_reload_signal() { return std::exchange(reload_signalled_, false); }
    // [any-thread]
    void request() { requested_.store(true, std::memory_order_release); }
    [[nodiscard]] int received_signal() const { return signal_number_; }

   private:
    sigset_t signals_{};
    std::atomic<bool> requested_{false};
    int signal_number_ = 0;
    bool reload_signalled_ = false;
};

}  // namespace mdp::app
