#include "app/shutdown_signal.hpp"

#include <pthread.h>

#include <cerrno>
#include <ctime>

namespace mdp::app {

ShutdownSignal::ShutdownSignal() {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

bool ShutdownSignal::wait_for(std::chrono::milliseconds timeout) {
    if (requested_.load(std::memory_order_acquire)) {
        return true;
    }
    timespec wait_time{};
    wait_time.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    wait_time.tv_nsec = static_cast<long>((timeout.count() % 1000) * 1'000'000);
    const int received = sigtimedwait(&signals_, nullptr, &wait_time);
    if (received == SIGHUP) {
        reload_signalled_ = true;
        return requested_.load(std::memory_order_acquire);
    }
    if (received > 0) {
        signal_number_ = received;
        return true;
    }
    return requested_.load(std::memory_order_acquire);
}

}  // namespace mdp::app
