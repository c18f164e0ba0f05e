#include "webhook_receiver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace mdp::test {

WebhookReceiver::WebhookReceiver(std::string status_line) : status_line_(std::move(status_line)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
        ::listen(listen_fd_, 16) != 0) {
        throw std::runtime_error("webhook receiver: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
}

WebhookReceiver::~WebhookReceiver() {
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    thread_.join();
}

std::vector<std::string> WebhookReceiver::bodies() {
    const std::lock_guard lock(mutex_);
    return bodies_;
}

void WebhookReceiver::serve() {
    while (true) {
        const int client = ::accept(listen_fd_, nullptr, nullptr);
        if (client < 0) {
            return;
        }
        std::string request;
        char buffer[4096];
        while (true) {
            const auto header_end = request.find("\r\n\r\n");
            const auto length_at = request.find("Content-Length: ");
            if (header_end != std::string::npos && length_at != std::string::npos) {
                const std::size_t length = std::stoul(request.substr(length_at + 16));
                if (request.size() >= header_end + 4 + length) {
                    const std::lock_guard lock(mutex_);
                    bodies_.push_back(request.substr(header_end + 4, length));
                    break;
                }
            }
            const ssize_t received = ::recv(client, buffer, sizeof(buffer), 0);
            if (received <= 0) {
                break;
            }
            request.append(buffer, static_cast<std::size_t>(received));
        }
        const std::string response = "HTTP/1.1 " + status_line_ + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        ::send(client, response.data(), response.size(), MSG_NOSIGNAL);
        ::close(client);
    }
}

}  // namespace mdp::test
