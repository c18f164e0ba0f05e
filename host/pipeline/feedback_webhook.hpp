#pragma once
// Optional cross-process delivery of feedback events: each event is POSTed as JSON to every
// configured http:// URL from this class's own thread, with a timeout and bounded retries.
// The pipeline only enqueues (bounded; the oldest undelivered event is dropped and counted
// when a receiver is too slow), so a dead receiver can never block or grow the host.

#include "common/http_url.hpp"
#include "config/host_config.hpp"
#include "status/feedback_event.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mdp::pipeline {

// The JSON body of a feedback event (also used by the status API).
std::string feedback_event_json(const status::FeedbackEvent& event);

class FeedbackWebhook {
   public:
    static constexpr std::size_t kMaxQueued = 256;

    explicit FeedbackWebhook(const config::BackpressureConfig& config);
    ~FeedbackWebhook();
    FeedbackWebhook(const FeedbackWebhook&) = delete;
    FeedbackWebhook& operator=(const FeedbackWebhook&) = delete;

    // [feedback-thread, non-blocking] Queues the event for every URL.
    void enqueue(const status::FeedbackEvent& event);

    [[nodiscard]] std::uint64_t delivered() const { return delivered_.load(); }
    [[nodiscard]] std::uint64_t failed() const { return failed_.load(); }
    [[nodiscard]] std::uint64_t dropped() const { return dropped_.load(); }

   private:
    void run();
    bool post_with_retries(const common::HttpUrl& url, const std::string& body);

    std::vector<common::HttpUrl> urls_;
    const int timeout_ms_;
    const int max_retries_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::string> bodies_;
    bool stopping_ = false;
    std::atomic<std::uint64_t> delivered_{0};
    std::atomic<std::uint64_t> failed_{0};
    std::atomic<std::uint64_t> dropped_{0};
    std::thread thread_;
};

}  // namespace mdp::pipeline
