#pragma once
// A minimal HTTP receiver for webhook tests: accepts connections on 127.0.0.1 (a port the
// kernel picks), reads one request each, answers with a fixed status line, and keeps the
// request bodies. Its own thread serves; bodies() is safe from any thread.

#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mdp::test {

class WebhookReceiver {
   public:
    // `status_line` without "HTTP/1.1 ", e.g. "204 No Content" or "500 Internal Server Error".
    explicit WebhookReceiver(std::string status_line = "204 No Content");
    ~WebhookReceiver();
    WebhookReceiver(const WebhookReceiver&) = delete;
    WebhookReceiver& operator=(const WebhookReceiver&) = delete;

    [[nodiscard]] unsigned short port() const { return port_; }
    [[nodiscard]] std::vector<std::string> bodies();

   private:
    void serve();

    std::string status_line_;
    int listen_fd_ = -1;
    unsigned short port_ = 0;
    std::mutex mutex_;
    std::vector<std::string> bodies_;
    std::thread thread_;
};

}  // namespace mdp::test
