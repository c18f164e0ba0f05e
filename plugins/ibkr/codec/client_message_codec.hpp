#pragma once
// Encoding of requests (the provider) and decoding of requests (the fake gateway), both
// through the layouts in client_messages.hpp, at a negotiated server version.

#include "client_messages.hpp"

#include <string>
#include <string_view>

namespace mdp::ibkr {

// Each appends one frame (id + layout) to `out`. On EncodeError `out` is left unchanged.
void encode(std::string& out, const StartApi& message, int server_version);
void encode(std::string& out, const ReqMktData& message, int server_version);
void encode(std::string& out, const CancelMktData& message, int server_version);
void encode(std::string& out, const ReqMarketDataType& message, int server_version);
void encode(std::string& out, const ReqRealTimeBars& message, int server_version);
void encode(std::string& out, const CancelRealTimeBars& message, int server_version);
void encode(std::string& out, const ReqTickByTickData& message, int server_version);
void encode(std::string& out, const CancelTickByTickData& message, int server_version);
void encode(std::string& out, const ReqHistoricalData& message, int server_version);
void encode(std::string& out, const CancelHistoricalData& message, int server_version);
void encode(std::string& out, const ReqCurrentTime& message, int server_version);

// Receives decoded requests. Views inside a message live only during the call.
class ClientMessageHandler {
   public:
    virtual ~ClientMessageHandler() = default;
    virtual void on_start_api(const StartApi& /*message*/) {}
    virtual void on_req_mkt_data(const ReqMktData& /*message*/) {}
    virtual void on_cancel_mkt_data(const CancelMktData& /*message*/) {}
    virtual void on_req_market_data_type(const ReqMarketDataType& /*message*/) {}
    virtual void on_req_real_time_bars(const ReqRealTimeBars& /*message*/) {}
    virtual void on_cancel_real_time_bars(const CancelRealTimeBars& /*message*/) {}
    virtual void on_req_tick_by_tick_data(const ReqTickByTickData& /*message*/) {}
    virtual void on_cancel_tick_by_tick_data(const CancelTickByTickData& /*message*/) {}
    virtual void on_req_historical_data(const ReqHistoricalData& /*message*/) {}
    virtual void on_cancel_historical_data(const CancelHistoricalData& /*message*/) {}
    virtual void on_req_current_time(const ReqCurrentTime& /*message*/) {}
    // A well-formed frame with an id this codec does not model.
    virtual void on_unknown_request(int /*message_id*/) {}
};

// Decodes one frame payload and calls the matching handler function. Throws DecodeError
// (prefixed with the message's name) when the frame is malformed.
void decode_client_message(std::string_view payload, int server_version, ClientMessageHandler& handler);

// "reqMktData", ... for logs; "message <id>" for ids this codec does not model.
std::string client_message_name(int message_id);

}  // namespace mdp::ibkr
