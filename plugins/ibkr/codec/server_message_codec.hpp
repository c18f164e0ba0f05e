#pragma once
// Encoding of replies and market data (the fake gateway) and decoding of them (the
// provider), both through the layouts in server_messages.hpp, at a negotiated version.

#include "server_messages.hpp"

#include <string>
#include <string_view>

namespace mdp::ibkr {

// Each appends one frame (id + layout) to `out`. On EncodeError `out` is left unchanged.
void encode(std::string& out, const ManagedAccounts& message, int server_version);
void encode(std::string& out, const NextValidId& message, int server_version);
void encode(std::string& out, const ErrorMessage& message, int server_version);
void encode(std::string& out, const TickPrice& message, int server_version);
void encode(std::string& out, const TickSize& message, int server_version);
void encode(std::string& out, const TickGeneric& message, int server_version);
void encode(std::string& out, const TickString& message, int server_version);
void encode(std::string& out, const TickSnapshotEnd& message, int server_version);
void encode(std::string& out, const MarketDataTypeMessage& message, int server_version);
void encode(std::string& out, const TickReqParams& message, int server_version);
void encode(std::string& out, const RealTimeBar& message, int server_version);
void encode(std::string& out, const TickByTick& message, int server_version);
void encode(std::string& out, const HistoricalData& message, int server_version);
void encode(std::string& out, const HistoricalDataEnd& message, int server_version);
void encode(std::string& out, const CurrentTime& message, int server_version);

// Receives decoded server messages. Views inside a message live only during the call.
// [the thread that calls decode_server_message]
class ServerMessageHandler {
   public:
    virtual ~ServerMessageHandler() = default;
    virtual void on_managed_accounts(const ManagedAccounts& /*message*/) {}
    virtual void on_next_valid_id(const NextValidId& /*message*/) {}
    virtual void on_error(const ErrorMessage& /*message*/) {}
    virtual void on_tick_price(const TickPrice& /*message*/) {}
    virtual void on_tick_size(const TickSize& /*message*/) {}
    virtual void on_tick_generic(const TickGeneric& /*message*/) {}
    virtual void on_tick_string(const TickString& /*message*/) {}
    virtual void on_tick_snapshot_end(const TickSnapshotEnd& /*message*/) {}
    virtual void on_market_data_type(const MarketDataTypeMessage& /*message*/) {}
    virtual void on_tick_req_params(const TickReqParams& /*message*/) {}
    virtual void on_real_time_bar(const RealTimeBar& /*message*/) {}
    virtual void on_tick_by_tick(const TickByTick& /*message*/) {}
    virtual void on_historical_data(const HistoricalData& /*message*/) {}
    // After the bars of a request: historicalDataEnd from server version 196, and synthesised
    // from a pre-196 historicalData's own start/end right after on_historical_data.
    virtual void on_historical_data_end(const HistoricalDataEnd& /*message*/) {}
    virtual void on_current_time(const CurrentTime& /*message*/) {}
    // A well-formed frame with an id this codec does not model (account updates, ...).
    virtual void on_unknown_message(int /*message_id*/) {}
};

// Decodes one frame payload and calls the matching handler function. Throws DecodeError
// (prefixed with the message's name) when the frame is malformed.
void decode_server_message(std::string_view payload, int server_version, ServerMessageHandler& handler);

std::string server_message_name(int message_id);

}  // namespace mdp::ibkr
