#include "market_data/event_publisher.hpp"

#include <algorithm>
#include <span>

namespace mdp::ibkr {

namespace {
// How often the publisher re-reads the rate scale when nothing else wakes it.
constexpr auto kIdlePoll = std::chrono::milliseconds(100);
}  // namespace

EventPublisher::EventPublisher(sdk::Host host, OutboundBuffer& buffer, RateScaleCell& rate_scale)
    : host_(host), buffer_(buffer), rate_scale_(rate_scale) {}

EventPublisher::~EventPublisher() {
    if (thread_.joinable()) {
        stopping_.store(true);
        buffer_.wake();
        thread_.join();
    }
}

void EventPublisher::start() {
    stopping_.store(false);
    thread_ = std::thread([this] { run(); });
}

void EventPublisher::stop() {
    stopping_.store(true);
    buffer_.wake();
    if (thread_.joinable()) {
        thread_.join();
    }
    std::vector<mdp_event_t> remaining;
    buffer_.take_all(remaining);
    publish_all(remaining);
}

void EventPublisher::publish_all(const std::vector<mdp_event_t>& events) {
    for (std::size_t offset = 0; offset < events.size(); offset += kPublishChunk) {
        const std::size_t count = std::min(kPublishChunk, events.size() - offset);
        const sdk::PublishResult result = host_.publish(std::span(events.data() + offset, count));
        accepted_.fetch_add(result.accepted, std::memory_order_relaxed);
        refused_.fetch_add(count - std::min<std::size_t>(count, result.accepted), std::memory_order_relaxed);
        rate_scale_.store(result.rate_scale);
    }
}

void EventPublisher::run() {
    std::vector<mdp_event_t> batch;
    batch.reserve(4096);
    while (!stopping_.load(std::memory_order_relaxed)) {
        const double scale = host_.rate_scale();
        rate_scale_.store(scale);
        batch.clear();
        const auto now = OutboundBuffer::Clock::now();
        const auto next_due = buffer_.take_publishable(batch, scale, now);
        if (!batch.empty()) {
            publish_all(batch);
            continue;
        }
        buffer_.wait_until(std::min(next_due, now + kIdlePoll));
    }
}

}  // namespace mdp::ibkr
