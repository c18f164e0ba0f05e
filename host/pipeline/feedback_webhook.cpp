#include "pipeline/feedback_webhook.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fcntl.h>

namespace mdp::pipeline {

namespace {

using Clock = std::chrono::steady_clock;
using common::HttpUrl;

// A socket closed on scope exit.
struct Socket {
    int fd = -1;
    ~Socket() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

int remaining_ms(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left > 0 ? static_cast<int>(left) : 0;
}

bool wait_ready(int fd, short events, Clock::time_point deadline) {
    pollfd poll_fd{fd, events, 0};
    return ::poll(&poll_fd, 1, remaining_ms(deadline)) == 1 && (poll_fd.revents & events) != 0;
}

bool connect_with_deadline(Socket& socket, const HttpUrl& url, Clock::time_point deadline) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* addresses = nullptr;
    if (::getaddrinfo(url.host.c_str(), url.port.c_str(), &hints, &addresses) != 0) {
        return false;
    }
    bool connected = false;
    for (addrinfo* address = addresses; address != nullptr && !connected; address = address->ai_next) {
        socket = Socket{};
        socket.fd = ::socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (socket.fd < 0) {
            continue;
        }
        if (::connect(socket.fd, address->ai_addr, address->ai_addrlen) == 0) {
            connected = true;
        } else if (errno == EINPROGRESS && wait_ready(socket.fd, POLLOUT, deadline)) {
            int error = 0;
            socklen_t length = sizeof(error);
            connected = ::getsockopt(socket.fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0;
        }
    }
    ::freeaddrinfo(addresses);
    return connected;
}

// One POST; true on a 2xx status line.
bool post_once(const HttpUrl& url, const std::string& body, int timeout_ms) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    Socket socket;
    if (!connect_with_deadline(socket, url, deadline)) {
        return false;
    }
    const std::string request = "POST " + url.target + " HTTP/1.1\r\nHost: " + url.host +
                                "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                                "\r\nConnection: close\r\n\r\n" + body;
    std::size_t sent = 0;
    while (sent < request.size()) {
        if (!wait_ready(socket.fd, POLLOUT, deadline)) {
            return false;
        }
        const ssize_t written = ::send(socket.fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (written <= 0) {
            return false;
        }
        sent += static_cast<std::size_t>(written);
    }
    std::string response;
    char buffer[512];
    while (response.find("\r\n") == std::string::npos && response.size() < 4096) {
        if (!wait_ready(socket.fd, POLLIN, deadline)) {
            return false;
        }
        const ssize_t received = ::recv(socket.fd, buffer, sizeof(buffer), 0);
        if (received <= 0) {
            break;
        }
        response.append(buffer, static_cast<std::size_t>(received));
    }
    // "HTTP/1.1 204 No Content"
    return response.size() > 12 && response.compare(0, 5, "HTTP/") == 0 && response[9] == '2';
}

}  // namespace

std::string feedback_event_json(const status::FeedbackEvent& event) {
    return nlohmann::json{{"coordinator_id", event.coordinator_id},
                          {"queue_size", event.queue_size},
                          {"capacity", event.capacity},
                          {"level", event.level},
                          {"reason", event.reason},
                          {"utilization", event.utilization},
                          {"timestamp_ns", event.timestamp_ns}}
        .dump();
}

FeedbackWebhook::FeedbackWebhook(const config::BackpressureConfig& config)
    : timeout_ms_(static_cast<int>(config.feedback_timeout_ms)),
      max_retries_(static_cast<int>(config.feedback_max_retries)) {
    for (const auto& url : config.feedback_urls) {
        urls_.push_back(common::parse_http_url(url));
    }
    thread_ = std::thread([this] { run(); });
}

FeedbackWebhook::~FeedbackWebhook() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void FeedbackWebhook::enqueue(const status::FeedbackEvent& event) {
    {
        std::lock_guard lock(mutex_);
        if (bodies_.size() == kMaxQueued) {
            bodies_.pop_front();
            dropped_.fetch_add(1);
        }
        bodies_.push_back(feedback_event_json(event));
    }
    wake_.notify_one();
}

bool FeedbackWebhook::post_with_retries(const HttpUrl& url, const std::string& body) {
    for (int attempt = 0; attempt <= max_retries_; ++attempt) {
        if (post_once(url, body, timeout_ms_)) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50 << std::min(attempt, 5)));
    }
    return false;
}

void FeedbackWebhook::run() {
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return stopping_ || !bodies_.empty(); });
        if (stopping_) {
            return;  // undelivered events are advisory; shutdown does not wait for receivers
        }
        const std::string body = std::move(bodies_.front());
        bodies_.pop_front();
        lock.unlock();
        for (const auto& url : urls_) {
            if (post_with_retries(url, body)) {
                delivered_.fetch_add(1);
            } else {
                failed_.fetch_add(1);
                spdlog::warn("feedback delivery to http://{}:{}{} failed after {} attempts", url.host, url.port,
                             url.target, max_retries_ + 1);
            }
        }
        lock.lock();
    }
}

}  // namespace mdp::pipeline
