#include "session/wakeup_fd.hpp"

#include <cerrno>
#include <cstdint>
#include <system_error>

#include <sys/eventfd.h>
#include <unistd.h>

namespace mdp::ibkr {

WakeupFd::WakeupFd() : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    if (fd_ < 0) {
        throw std::system_error(errno, std::generic_category(), "eventfd");
    }
}

WakeupFd::~WakeupFd() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

void WakeupFd::notify() noexcept {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(fd_, &one, sizeof one);
}

void WakeupFd::drain() noexcept {
    std::uint64_t value = 0;
    [[maybe_unused]] const auto read = ::read(fd_, &value, sizeof value);
}

}  // namespace mdp::ibkr
