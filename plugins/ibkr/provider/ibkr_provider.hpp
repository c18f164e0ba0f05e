#pragma once
// The ibkr provider: one TWS/IB Gateway connection (socket thread) feeding a conflating
// buffer that a publisher thread drains into the host at the host's rate scale.
//
//   socket thread:    TwsSession -> MarketDataTranslator -> OutboundBuffer (never blocks)
//   publisher thread: OutboundBuffer -> host publish (may block under the `block` policy)
//   feedback thread:  on_feedback -> rate scale -> wakes the publisher
//
// State and detail reported to the host always say what is going on (see status_text.hpp).

#include "config/ibkr_config.hpp"
#include "market_data/event_publisher.hpp"
#include "market_data/market_data_translator.hpp"
#include "market_data/outbound_buffer.hpp"
#include "market_data/rate_scale_cell.hpp"
#include "provider/status_text.hpp"
#include "session/subscription_book.hpp"
#include "session/tws_session.hpp"

#include <mdp/plugin.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace mdp::ibkr {

class IbkrProvider final : public sdk::Provider, private SessionObserver {
   public:
    // Throws ConfigProblem (`<key path>: expected ...`) for a bad config.
    IbkrProvider(sdk::Host host, std::string instance_name, std::string_view config_json);
    ~IbkrProvider() override;

    void start() override;
    void stop() override;
    void on_feedback(const mdp_feedback_t& feedback) override;

    // Counters for the final summary and benchmarks.
    [[nodiscard]] OutboundBuffer::Counters buffer_counters() const { return buffer_.counters(); }
    [[nodiscard]] std::uint64_t events_accepted() const noexcept { return publisher_.accepted(); }

   private:
    void on_session_status(const SessionStatus& status, const SubscriptionBook& book) override;
    void on_session_log(int level, const std::string& message) override;
    void report(const ProviderStatus& status);

    sdk::Host host_;
    std::string name_;
    IbkrConfig config_;
    RateScaleCell rate_scale_;
    OutboundBuffer buffer_;
    SubscriptionBook book_;
    MarketDataTranslator translator_;
    EventPublisher publisher_;
    std::unique_ptr<TwsSession> session_;

    std::mutex report_mutex_;
    ProviderStatus last_reported_;
    bool running_ = false;
};

}  // namespace mdp::ibkr
