#pragma once
// How the control thread learns it should act: SIGINT/SIGTERM (blocked in every thread and
// read from a signalfd, so no code runs in a signal handler) or request() from code ask it to
// stop; SIGHUP asks for a config reload (take_reload_signal()); wake() says a control or
// reload request is waiting. The control thread waits for all of them at once (wait_for), so
// a request is applied as soon as it arrives, not at the next poll.

#include <atomic>
#include <chrono>
#include <csignal>
#include <utility>

namespace mdp::app {

class ShutdownSignal {
   public:
    // [main thread, before any other thread exists] Blocks SIGINT, SIGTERM and SIGHUP in this
    // thread; threads created afterwards inherit the mask. Ignores SIGPIPE (sockets report
    // EPIPE). Throws std::system_error when the signalfd or the eventfd cannot be made.
    ShutdownSignal();
    ~ShutdownSignal();
    ShutdownSignal(const ShutdownSignal&) = delete;
    ShutdownSignal& operator=(const ShutdownSignal&) = delete;

    // [control-thread] Waits up to `timeout` for a stop signal, request() or wake(); true when
    // a stop came. A SIGHUP or a wake() ends the wait early (false); a SIGHUP is remembered
    // for take_reload_signal().
    bool wait_for(std::chrono::milliseconds timeout);
    // [control-thread] True once per SIGHUP received since the last call.
    bool take_reload_signal() { return std::exchange(reload_signalled_, false); }
    // [any-thread] Asks the control thread to stop.
    void request();
    // [any-thread, non-blocking] Ends the control thread's current or next wait_for() early.
    void wake() noexcept;
    [[nodiscard]] int received_signal() const { return signal_number_; }

   private:
    // The signal read from the signalfd, or 0 when none is pending.
    int take_signal() const noexcept;
    void clear_wakes() const noexcept;

    sigset_t signals_{};
    int signal_fd_ = -1;
    int wake_fd_ = -1;  // eventfd: wake() adds, wait_for() drains
    std::atomic<bool> requested_{false};
    int signal_number_ = 0;
    bool reload_signalled_ = false;
};

}  // namespace mdp::app
