// Cross-process feedback delivery: events POSTed as JSON to a real loopback HTTP receiver;
// a dead receiver costs bounded retries and never blocks the caller.

#include "child_process.hpp"
#include "common/http_url.hpp"
#include "pipeline/feedback_webhook.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>
#include <stdexcept>
#include <thread>

using namespace mdp;

namespace {

// Accepts connections on 127.0.0.1, reads one request each, answers with `status_line`
// (204 by default), keeps the bodies.
class Receiver {
   public:
    explicit Receiver(std::string status_line = "204 No Content") : status_line_(std::move(status_line)) {
        listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
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
    ~Receiver() {
        ::shutdown(listen_fd_, SHUT_RDWR);
        ::close(listen_fd_);
        thread_.join();
    }
    unsigned short port() const { return port_; }
    std::vector<std::string> bodies() {
        std::lock_guard lock(mutex_);
        return bodies_;
    }

   private:
    void serve() {
        while (true) {
            const int client = ::accept(listen_fd_, nullptr, nullptr);
            if (client < 0) {
                return;
            }
            std::string request;
            char buffer[4096];
            while (true) {
                const auto header_end = request.find("\r\n\r\n");
                if (header_end != std::string::npos) {
                    const auto length_at = request.find("Content-Length: ");
                    const std::size_t length = std::stoul(request.substr(length_at + 16));
                    if (request.size() >= header_end + 4 + length) {
                        std::lock_guard lock(mutex_);
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
            const std::string response =
                "HTTP/1.1 " + status_line_ + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            ::send(client, response.data(), response.size(), MSG_NOSIGNAL);
            ::close(client);
        }
    }

    std::string status_line_;
    int listen_fd_ = -1;
    unsigned short port_ = 0;
    std::mutex mutex_;
    std::vector<std::string> bodies_;
    std::thread thread_;
};

pipeline::FeedbackEvent hard_event() {
    pipeline::FeedbackEvent event;
    event.coordinator_id = "store_coordinator";
    event.queue_size = 8000;
    event.capacity = 10000;
    event.level = "hard";
    event.level_value = 2;
    event.reason = "depth 8000 >= high watermark 8000";
    event.utilization = 0.8;
    event.timestamp_ns = 1700000000000000000;
    return event;
}

}  // namespace

TEST_CASE("http URLs parse into host, port and target", "[webhook]") {
    const auto url = common::parse_http_url("http://receiver.local:9000/hooks/mdp");
    CHECK(url.host == "receiver.local");
    CHECK(url.port == "9000");
    CHECK(url.target == "/hooks/mdp");
    CHECK(common::parse_http_url("http://h").port == "80");
    CHECK_THROWS_WITH(common::parse_http_url("https://h/"), Catch::Contains("expected an http:// URL"));
    CHECK_THROWS_WITH(common::parse_http_url("http://h:port/"), Catch::Contains("expected http://host[:port]"));
}

TEST_CASE("feedback events are POSTed as JSON with every contract field", "[webhook]") {
    Receiver receiver;
    config::BackpressureConfig config;
    config.feedback_urls = {"http://127.0.0.1:" + std::to_string(receiver.port()) + "/feedback"};
    pipeline::FeedbackWebhook webhook(config);
    webhook.enqueue(hard_event());
    for (int attempt = 0; attempt < 200 && webhook.delivered() == 0; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(webhook.delivered() == 1);
    const auto bodies = receiver.bodies();
    REQUIRE(bodies.size() == 1);
    const auto body = nlohmann::json::parse(bodies[0]);
    CHECK(body["coordinator_id"] == "store_coordinator");
    CHECK(body["queue_size"] == 8000);
    CHECK(body["capacity"] == 10000);
    CHECK(body["level"] == "hard");
    CHECK(body["reason"] == "depth 8000 >= high watermark 8000");
    CHECK(body["utilization"] == 0.8);
    CHECK(body["timestamp_ns"] == 1700000000000000000);
}

TEST_CASE("a failing receiver gets exactly 1 + feedback_max_retries attempts per event", "[webhook]") {
    Receiver receiver("500 Internal Server Error");
    config::BackpressureConfig config;
    config.feedback_urls = {"http://127.0.0.1:" + std::to_string(receiver.port()) + "/"};
    config.feedback_max_retries = 2;
    config.feedback_timeout_ms = 1000;
    pipeline::FeedbackWebhook webhook(config);
    webhook.enqueue(hard_event());
    REQUIRE(mdp::test::eventually([&] { return webhook.failed() == 1; }, std::chrono::seconds(30)));
    CHECK(receiver.bodies().size() == 3);
    CHECK(webhook.delivered() == 0);
}

TEST_CASE("enqueue() returns while the receiver hangs: the queue is bounded, the oldest are dropped", "[webhook]") {
    // A listening socket nobody accepts from: the kernel completes the connection, the POST
    // is sent, and no answer ever comes (each attempt waits for its timeout).
    const int silent_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    REQUIRE(silent_fd >= 0);
    REQUIRE(::bind(silent_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
    REQUIRE(::getsockname(silent_fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    REQUIRE(::listen(silent_fd, 16) == 0);
    config::BackpressureConfig config;
    config.feedback_urls = {"http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/"};
    config.feedback_max_retries = 0;
    config.feedback_timeout_ms = 2000;  // the delivery thread is stuck in its first POST meanwhile
    {
        pipeline::FeedbackWebhook webhook(config);
        // Each call returns at once (this loop finishing is the check: a blocking enqueue
        // would hang here behind the stuck delivery); beyond kMaxQueued the oldest are dropped.
        for (int index = 0; index < 1000; ++index) {
            webhook.enqueue(hard_event());
        }
        CHECK(webhook.dropped() >= 1000 - pipeline::FeedbackWebhook::kMaxQueued - 1);  // the thread took at most one
        CHECK(webhook.dropped() <= 1000 - pipeline::FeedbackWebhook::kMaxQueued);
        CHECK(webhook.delivered() == 0);
    }
    ::close(silent_fd);
}
