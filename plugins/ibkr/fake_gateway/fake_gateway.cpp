#include "fake_gateway/fake_gateway.hpp"

#include "fake_gateway/gateway_connection.hpp"

#include <mdp/sdk/errno_text.hpp>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace mdp::ibkr::fake {

FakeGateway::FakeGateway(GatewayOptions options, std::ostream& output)
    : options_(std::move(options)), shared_(output, options_.bar_interval) {
    if (options_.ticks == TickSource::script) {
        script_ = load_tick_script(options_.script_file);
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(options_.port);
    if (::inet_pton(AF_INET, options_.bind_address.c_str(), &address.sin_addr) != 1) {
        throw std::runtime_error("--bind: expected an IPv4 address, found \"" + options_.bind_address + "\"");
    }
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) {
        throw std::runtime_error("socket: " + sdk::errno_text(errno));
    }
    const int enable = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &enable, sizeof enable);
    if (::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listen_fd_, 16) != 0) {
        const std::string reason = sdk::errno_text(errno);
        ::close(listen_fd_);
        throw std::runtime_error("cannot listen on " + options_.bind_address + ":" + std::to_string(options_.port) +
                                 ": " + reason);
    }
    socklen_t length = sizeof address;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
}

FakeGateway::~FakeGateway() {
    stop();
    if (listen_fd_ >= 0) {
        ::close(listen_fd_);
    }
}

void FakeGateway::start() {
    shared_.print("mdp-fake-tws listening on " + options_.bind_address + ":" + std::to_string(port_) +
                  " (server version " + std::to_string(options_.server_version) + ")");
    accept_thread_ = std::thread([this] { accept_loop(); });
}

void FakeGateway::stop() {
    shared_.stopping.store(true);
    if (accept_thread_.joinable()) {
        accept_thread_.join();
    }
    for (auto& worker : workers_) {
        if (worker.thread.joinable()) {
            worker.thread.join();
        }
    }
    workers_.clear();
}

void FakeGateway::reap_finished_workers() {
    // A finished thread keeps its stack until joined; reconnect storms would pile them up.
    for (auto it = workers_.begin(); it != workers_.end();) {
        if (it->finished->load()) {
            it->thread.join();
            it = workers_.erase(it);
        } else {
            ++it;
        }
    }
}

void FakeGateway::accept_loop() {
    while (!shared_.stopping.load()) {
        reap_finished_workers();
        pollfd listener{listen_fd_, POLLIN, 0};
        if (::poll(&listener, 1, 100) <= 0) {
            continue;
        }
        sockaddr_in peer{};
        socklen_t length = sizeof peer;
        const int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &length, SOCK_CLOEXEC);
        if (fd < 0) {
            continue;
        }
        const int enable = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &enable, sizeof enable);
        const int number = ++shared_.connections;
        char peer_text[INET_ADDRSTRLEN] = {};
        ::inet_ntop(AF_INET, &peer.sin_addr, peer_text, sizeof peer_text);
        shared_.print("connection " + std::to_string(number) + " from " + peer_text + ":" +
                      std::to_string(ntohs(peer.sin_port)));
        if (shared_.refusing_connections(std::chrono::steady_clock::now())) {
            shared_.print("connection " + std::to_string(number) + " refused: outage (--outage-ms)");
            ::close(fd);
            continue;
        }
        const TickScript* script = script_ ? &*script_ : nullptr;
        auto finished = std::make_shared<std::atomic<bool>>(false);
        std::thread thread([this, fd, number, script, finished] {
            {
                GatewayConnection connection(fd, number, options_, script, shared_);
                connection.run();
            }
            finished->store(true);
        });
        workers_.push_back(Worker{std::move(thread), std::move(finished)});
    }
}

}  // namespace mdp::ibkr::fake
