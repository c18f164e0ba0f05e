#pragma once
// The publisher thread: takes what the OutboundBuffer releases under the current rate scale
// and hands it to the host. Only this thread calls host publish, which may block under the
// `block` overflow policy; the socket thread never does.

#include "market_data/outbound_buffer.hpp"
#include "market_data/rate_scale_cell.hpp"

#include <mdp/plugin.hpp>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace mdp::ibkr {

class EventPublisher {
   public:
    EventPublisher(sdk::Host host, OutboundBuffer& buffer, RateScaleCell& rate_scale);
    ~EventPublisher();
    EventPublisher(const EventPublisher&) = delete;
    EventPublisher& operator=(const EventPublisher&) = delete;

    // [control-thread]
    void start();
    // [control-thread] Joins the thread, then publishes everything still held (the host
    // releases blocked publishes before stopping a provider, so this returns promptly).
    void stop();

    [[nodiscard]] std::uint64_t accepted() const noexcept { return accepted_.load(std::memory_order_relaxed); }
    [[nodiscard]] std::uint64_t refused() const noexcept { return refused_.load(std::memory_order_relaxed); }

   private:
    void run();
    void publish_all(const std::vector<mdp_event_t>& events);

    static constexpr std::size_t kPublishChunk = 1024;

    sdk::Host host_;
    OutboundBuffer& buffer_;
    RateScaleCell& rate_scale_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
    std::atomic<std::uint64_t> accepted_{0};
    std::atomic<std::uint64_t> refused_{0};  // offered but not accepted (the host counts them as dropped)
};

}  // namespace mdp::ibkr
