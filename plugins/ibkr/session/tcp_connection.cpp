#include "session/tcp_connection.hpp"

#include <mdp/sdk/errno_text.hpp>

#include <cerrno>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace mdp::ibkr {

namespace {

struct AddrInfoDeleter {
    void operator()(addrinfo* info) const noexcept { ::freeaddrinfo(info); }
};

void set_socket_options(int fd) {
    const int enable = 1;
    // Requests are small and latency matters more than packet count.
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &enable, sizeof enable);
    // A gateway that vanished without a FIN is detected eventually even when idle.
    ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &enable, sizeof enable);
    // A large receive buffer absorbs bursts while the socket thread is busy.
    const int receive_bytes = 4 * 1024 * 1024;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_bytes, sizeof receive_bytes);
}

// Waits for the in-progress connect on `fd`; returns 0 or the socket error.
int wait_for_connect(int fd, std::chrono::milliseconds timeout, int wakeup_fd, const std::string& peer) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        const auto remaining =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (remaining.count() <= 0) {
            throw ConnectionError("timed out after " + std::to_string(timeout.count()) + " ms connecting to " + peer);
        }
        pollfd fds[2] = {{fd, POLLOUT, 0}, {wakeup_fd, POLLIN, 0}};
        const int ready = ::poll(fds, wakeup_fd >= 0 ? 2 : 1, static_cast<int>(remaining.count()));
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw ConnectionError("poll failed while connecting to " + peer + ": " + sdk::errno_text(errno));
        }
        if (wakeup_fd >= 0 && (fds[1].revents & POLLIN) != 0) {
            throw ConnectionError("interrupted");
        }
        if (fds[0].revents != 0) {
            int error = 0;
            socklen_t length = sizeof error;
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
            return error;
        }
    }
}

}  // namespace

TcpConnection::~TcpConnection() { close(); }

void TcpConnection::close() noexcept {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

void TcpConnection::connect(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout,
                            int wakeup_fd) {
    close();
    peer_ = host + ":" + std::to_string(port);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* raw = nullptr;
    const int resolved = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &raw);
    if (resolved != 0) {
        throw ConnectionError("cannot resolve host \"" + host + "\": " + ::gai_strerror(resolved));
    }
    const std::unique_ptr<addrinfo, AddrInfoDeleter> addresses(raw);
    std::string last_error = "no address";
    for (const addrinfo* address = addresses.get(); address != nullptr; address = address->ai_next) {
        const int fd =
            ::socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, address->ai_protocol);
        if (fd < 0) {
            last_error = sdk::errno_text(errno);
            continue;
        }
        set_socket_options(fd);
        int error = 0;
        if (::connect(fd, address->ai_addr, address->ai_addrlen) != 0) {
            error = errno;
            if (error == EINPROGRESS) {
                try {
                    error = wait_for_connect(fd, timeout, wakeup_fd, peer_);
                } catch (...) {
                    ::close(fd);
                    throw;
                }
            }
        }
        if (error == 0) {
            fd_ = fd;
            return;
        }
        ::close(fd);
        last_error = sdk::errno_text(error);
    }
    if (last_error == sdk::errno_text(ECONNREFUSED)) {
        throw ConnectionError("connection refused by " + peer_ + " (is TWS/IB Gateway running with the API enabled?)");
    }
    throw ConnectionError("cannot connect to " + peer_ + ": " + last_error);
}

std::size_t TcpConnection::read_some(std::span<char> buffer) {
    while (true) {
        const ssize_t received = ::recv(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT);
        if (received > 0) {
            return static_cast<std::size_t>(received);
        }
        if (received == 0) {
            throw ConnectionError(peer_ + " closed the connection");
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return 0;
        }
        throw ConnectionError("reading from " + peer_ + " failed: " + sdk::errno_text(errno));
    }
}

std::size_t TcpConnection::write_some(std::string_view bytes) {
    while (true) {
        const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (sent >= 0) {
            return static_cast<std::size_t>(sent);
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return 0;
        }
        throw ConnectionError("writing to " + peer_ + " failed: " + sdk::errno_text(errno));
    }
}

}  // namespace mdp::ibkr
