#include "tcp_cut_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string_view>

namespace mdp::test {

namespace {

// The simple Query message libpq sends for PQexec("COMMIT"): 'Q', int32 length 11, "COMMIT\0".
constexpr std::string_view kCommitMessage{
    "Q\0\0\0\x0b"
    "COMMIT\0",
    12};

bool send_all(int socket, const char* data, std::size_t length) {
    while (length > 0) {
        const ssize_t sent = ::send(socket, data, length, MSG_NOSIGNAL);
        if (sent <= 0) {
            return false;
        }
        data += sent;
        length -= static_cast<std::size_t>(sent);
    }
    return true;
}

int connect_loopback(unsigned short port) {
    const int socket_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    if (::connect(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
        ::close(socket_fd);
        return -1;
    }
    return socket_fd;
}

}  // namespace

TcpCutProxy::TcpCutProxy(unsigned short target_port) : target_port_(target_port) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int reuse = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof(reuse));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof(address);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::listen(listener_, 16) != 0 || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(listener_);
        throw std::runtime_error("proxy: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

TcpCutProxy::~TcpCutProxy() {
    stopping_.store(true);
    ::shutdown(listener_, SHUT_RDWR);
    acceptor_.join();
    ::close(listener_);
    {
        std::lock_guard lock(mutex_);
        for (const int socket_fd : open_sockets_) {
            ::shutdown(socket_fd, SHUT_RDWR);
        }
    }
    for (auto& relay : relays_) {
        relay.join();
    }
}

void TcpCutProxy::accept_loop() {
    while (!stopping_.load()) {
        pollfd waiting{listener_, POLLIN, 0};
        if (::poll(&waiting, 1, 100) <= 0) {
            continue;
        }
        const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) {
            continue;
        }
        const int server = connect_loopback(target_port_);
        if (server < 0) {
            ::close(client);
            continue;
        }
        std::lock_guard lock(mutex_);
        open_sockets_.push_back(client);
        open_sockets_.push_back(server);
        relays_.emplace_back([this, client, server] { relay(client, server); });
    }
}

void TcpCutProxy::relay(int client, int server) {
    std::array<char, 65536> buffer{};
    bool awaiting_commit_answer = false;
    bool open = true;
    while (open && !stopping_.load()) {
        std::array<pollfd, 2> sockets{pollfd{client, POLLIN, 0}, pollfd{server, POLLIN, 0}};
        if (::poll(sockets.data(), sockets.size(), 100) <= 0) {
            continue;
        }
        if ((sockets[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
            const ssize_t received = ::recv(client, buffer.data(), buffer.size(), 0);
            if (received <= 0) {
                break;
            }
            const std::string_view bytes(buffer.data(), static_cast<std::size_t>(received));
            const bool commit = bytes.find(kCommitMessage) != std::string_view::npos;
            Cut cut = Cut::none;
            if (commit) {
                cut = armed_.exchange(Cut::none);
            }
            if (cut == Cut::before_commit) {
                ++cuts_;
                break;  // the COMMIT never reaches the server
            }
            awaiting_commit_answer = cut == Cut::after_commit_response;
            open = send_all(server, bytes.data(), bytes.size());
        }
        if (open && (sockets[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
            const ssize_t received = ::recv(server, buffer.data(), buffer.size(), 0);
            if (received <= 0) {
                break;
            }
            if (awaiting_commit_answer) {
                ++cuts_;
                break;  // the server committed; the client never hears it
            }
            open = send_all(client, buffer.data(), static_cast<std::size_t>(received));
        }
    }
    std::lock_guard lock(mutex_);
    for (const int socket_fd : {client, server}) {
        ::shutdown(socket_fd, SHUT_RDWR);
        ::close(socket_fd);
        open_sockets_.erase(std::remove(open_sockets_.begin(), open_sockets_.end(), socket_fd), open_sockets_.end());
    }
}

}  // namespace mdp::test
