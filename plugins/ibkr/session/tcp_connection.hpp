#pragma once
// A client TCP connection for the socket thread: connect with a deadline (interruptible by a
// wakeup fd), then non-blocking reads and writes. Errors throw ConnectionError whose text
// says what happened in words an operator understands ("connection refused by
// 127.0.0.1:4002", "timed out after 5000 ms connecting to ...").

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mdp::ibkr {

class ConnectionError : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
};

class TcpConnection {
   public:
    TcpConnection() = default;
    ~TcpConnection();
    TcpConnection(const TcpConnection&) = delete;
    TcpConnection& operator=(const TcpConnection&) = delete;

    // Resolves `host` and connects, giving up after `timeout` or when `wakeup_fd` becomes
    // readable (then throws ConnectionError("interrupted")).
    void connect(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout, int wakeup_fd);
    void close() noexcept;
    [[nodiscard]] bool is_open() const noexcept { return fd_ >= 0; }
    [[nodiscard]] int fd() const noexcept { return fd_; }

    // Reads what is available: the byte count (0 = nothing right now). Throws
    // ConnectionError on end of stream or a socket error.
    std::size_t read_some(std::span<char> buffer);
    // Writes what the socket takes now; returns the byte count. Throws on a socket error.
    std::size_t write_some(std::string_view bytes);

    [[nodiscard]] const std::string& peer() const noexcept { return peer_; }

   private:
    int fd_ = -1;
    std::string peer_;  // "host:port" for messages
};

}  // namespace mdp::ibkr
