#pragma once
// Turns decoded TWS market data messages into mdp events: tick price/size updates maintain a
// QuoteState per contract and emit a quote whenever it visibly changes; RTVolume (or, when
// RTVolume is not requested, last price ticks) emit trades; real-time bars emit 5-second
// bars. Delayed ticks (66..76) and contracts TWS reports as delayed (marketDataType 3/4)
// carry MDP_EVENT_FLAG_DELAYED; bars the backfill recovered carry MDP_EVENT_FLAG_BACKFILLED.
//
// Contracts are addressed by slot (request_ids.hpp): the config's positions at construction,
// then slots that add_contract() appends.
//
// [session thread] Everything here runs on the socket thread (the control thread while the
// session does not run); events collect in batch() until the session hands them to the
// OutboundBuffer after each read.

#include "codec/server_message_codec.hpp"
#include "config/contract_config.hpp"
#include "market_data/outbound_event.hpp"
#include "market_data/quote_state.hpp"

#include <cstdint>
#include <vector>

namespace mdp::ibkr {

class MarketDataTranslator : public ServerMessageHandler {
   public:
    // `trades_from_rt_volume`: trades come from RTVolume (generic tick 233) only; otherwise
    // from last-price ticks.
    MarketDataTranslator(const std::vector<ContractConfig>& contracts, bool trades_from_rt_volume);

    // Receive time stamped on the events of the messages that follow (one read's worth).
    void begin_batch(std::int64_t receive_time_ns) noexcept { receive_time_ns_ = receive_time_ns; }
    [[nodiscard]] std::vector<OutboundEvent>& batch() noexcept { return batch_; }

    // Contracts that delivered their first data since the last call (their indices).
    std::vector<std::size_t> take_newly_streaming();
    // A new connection: quote state starts afresh, as TWS re-sends it after subscribing.
    void reset_quotes();
    // A reconfigure added `contract` on slot `slot` (the next one: slot == slot count).
    void add_contract(std::size_t slot, const ContractConfig& contract);
    // A reconfigure removed the contract on `slot`: what still arrives for it (sent before
    // TWS took the cancel) is counted as for an unknown request, not published.
    void remove_contract(std::size_t slot);

    [[nodiscard]] std::uint64_t messages_for_unknown_requests() const noexcept { return unknown_requests_; }
    [[nodiscard]] const QuoteState& quote(std::size_t index) const { return contracts_[index].quote; }

    void on_tick_price(const TickPrice& message) override;
    void on_tick_size(const TickSize& message) override;
    void on_tick_string(const TickString& message) override;
    void on_real_time_bar(const RealTimeBar& message) override;
    // A bar the backfill recovered for `slot` (its request_id is ignored): published like a
    // real-time bar, flagged MDP_EVENT_FLAG_BACKFILLED.
    void on_backfilled_bar(std::size_t slot, const RealTimeBar& bar);
    void on_market_data_type(const MarketDataTypeMessage& message) override;

   private:
    struct ContractSlot {
        mdp_event_t event_template{};  // symbol and size filled in once
        QuoteState quote;
        bool delayed_by_type = false;  // marketDataType said delayed (3/4)
        bool seen = false;
        bool active = true;  // false once removed by a reconfigure
    };

    ContractSlot* market_data_slot(int request_id) noexcept;
    ContractSlot* real_time_bars_slot(int request_id) noexcept;
    void note_seen(ContractSlot& slot);
    void emit_quote(ContractSlot& slot, bool delayed_tick);
    void emit_trade(ContractSlot& slot, double price, double size, std::int64_t event_time_ns, bool delayed_tick);
    void apply_rt_volume(ContractSlot& slot, std::string_view value);
    void emit_bar(ContractSlot& slot, const RealTimeBar& bar, std::uint16_t flags);
    [[nodiscard]] std::uint16_t flags_for(const ContractSlot& slot, bool delayed_tick) const noexcept;
    [[nodiscard]] std::uint32_t index_of(const ContractSlot& slot) const noexcept;

    std::vector<ContractSlot> contracts_;
    bool trades_from_rt_volume_;
    std::int64_t receive_time_ns_ = 0;
    std::vector<OutboundEvent> batch_;
    std::vector<std::size_t> newly_streaming_;
    std::uint64_t unknown_requests_ = 0;
};

}  // namespace mdp::ibkr
