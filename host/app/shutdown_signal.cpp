#include "app/shutdown_signal.hpp"

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <system_error>

namespace mdp::app {

ShutdownSignal::ShutdownSignal() {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    signal_fd_ = signalfd(-1, &signals_, SFD_NONBLOCK | SFD_CLOEXEC);
    if (signal_fd_ < 0) {
        throw std::system_error(errno, std::generic_category(), "signalfd for SIGINT, SIGTERM and SIGHUP");
    }
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd_ < 0) {
        const int error = errno;
        close(signal_fd_);
        throw std::system_error(error, std::generic_category(), "eventfd for control requests");
    }
}

ShutdownSignal::~ShutdownSignal() {
    close(wake_fd_);
    close(signal_fd_);
}

void ShutdownSignal::request() {
    requested_.store(true, std::memory_order_release);
    wake();
}

void ShutdownSignal::wake() noexcept {
    const std::uint64_t one = 1;
    // Cannot block (EFD_NONBLOCK); a counter already at its maximum is awake anyway.
    static_cast<void>(write(wake_fd_, &one, sizeof one));
}

bool ShutdownSignal::wait_for(std::chrono::milliseconds timeout) {
    if (requested_.load(std::memory_order_acquire)) {
        return true;
    }
    std::array<pollfd, 2> waited{pollfd{signal_fd_, POLLIN, 0}, pollfd{wake_fd_, POLLIN, 0}};
    // EINTR or a failure: nothing became ready; the caller polls again.
    static_cast<void>(poll(waited.data(), waited.size(), static_cast<int>(timeout.count())));
    if ((waited[1].revents & POLLIN) != 0) {
        clear_wakes();
    }
    const int received = (waited[0].revents & POLLIN) != 0 ? take_signal() : 0;
    if (received == SIGHUP) {
        reload_signalled_ = true;
    } else if (received != 0) {
        signal_number_ = received;
        return true;
    }
    return requested_.load(std::memory_order_acquire);
}

int ShutdownSignal::take_signal() const noexcept {
    signalfd_siginfo info{};
    if (read(signal_fd_, &info, sizeof info) != static_cast<ssize_t>(sizeof info)) {
        return 0;
    }
    return static_cast<int>(info.ssi_signo);
}

void ShutdownSignal::clear_wakes() const noexcept {
    std::uint64_t count = 0;
    static_cast<void>(read(wake_fd_, &count, sizeof count));
}

}  // namespace mdp::app
