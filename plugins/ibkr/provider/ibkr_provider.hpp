#pragma once
// The ibkr provider: one TWS/IB Gateway connection (socket thread) feeding a conflating
// buffer that a publisher thread drains into the host at the host's rate scale.
//
//   socket thread:    TwsSession -> MarketDataTranslator -> OutboundBuffer (never blocks)
//   publisher thread: OutboundBuffer -> host publish (may block under the `block` policy)
//   feedback thread:  on_feedback -> rate scale -> wakes the publisher
//
// State and detail reported to the host always say what is going on (see status_text.hpp).
//
// A reload that changes only `contracts` is applied in place (reconfigure): added contracts
// are subscribed and removed ones cancelled on the running connection, the others are left
// alone. Any other change needs a new connection or new buffers and is answered "restart".

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
    // [control-thread] Validates `config_json` exactly as the constructor does (throws
    // ConfigProblem with the key path; nothing changes). True once a change of `contracts`
    // only is handed to the session (or applied, when not running); false, with nothing
    // changed, for any other change, or when the added contracts would exhaust the request
    // id space (request_ids::kMaxContractSlots) before a restart renumbers them.
    bool reconfigure(std::string_view config_json) override;

    // Counters for the final summary and benchmarks.
    [[nodiscard]] OutboundBuffer::Counters buffer_counters() const { return buffer_.counters(); }
    [[nodiscard]] std::uint64_t events_accepted() const noexcept { return publisher_.accepted(); }

   private:
    void on_session_status(const SessionStatus& status, const SubscriptionBook& book) override;
    void on_session_log(int level, const std::string& message) override;
    void report(const ProviderStatus& status);

    sdk::Host host_;
    std::string name_;
    // Written only by reconfigure() (its `contracts`; every other setting is fixed for the
    // instance's life) on the control thread; the session thread reads the other settings
    // and never `contracts`.
    IbkrConfig config_;
    // Upper bound of the contract slots handed out (each reconfigure adds its additions).
    std::size_t slots_reserved_;
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
