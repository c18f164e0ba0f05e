#pragma once
// An eventfd the socket thread polls next to its socket, so another thread (stop(), a new
// request) can interrupt a poll() at once. [any-thread] notify(); [owner] drain().

namespace mdp::ibkr {

class WakeupFd {
   public:
    WakeupFd();  // throws std::system_error when the kernel refuses an eventfd
    ~WakeupFd();
    WakeupFd(const WakeupFd&) = delete;
    WakeupFd& operator=(const WakeupFd&) = delete;

    [[nodiscard]] int fd() const noexcept { return fd_; }
    void notify() noexcept;
    void drain() noexcept;

   private:
    int fd_ = -1;
};

}  // namespace mdp::ibkr
