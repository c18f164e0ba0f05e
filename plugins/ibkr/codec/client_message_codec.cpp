#include "client_message_codec.hpp"

#include "message_framing.hpp"

namespace mdp::ibkr {

namespace {

void dispatch(int message_id, FieldReader& reader, int server_version, ClientMessageHandler& handler) {
    switch (message_id) {
        case outgoing::kStartApi:
            handler.on_start_api(decode_layout<StartApi>(reader, server_version));
            return;
        case outgoing::kReqMktData:
            handler.on_req_mkt_data(decode_layout<ReqMktData>(reader, server_version));
            return;
        case outgoing::kCancelMktData:
            handler.on_cancel_mkt_data(decode_layout<CancelMktData>(reader, server_version));
            return;
        case outgoing::kReqMarketDataType:
            handler.on_req_market_data_type(decode_layout<ReqMarketDataType>(reader, server_version));
            return;
        case outgoing::kReqRealTimeBars:
            handler.on_req_real_time_bars(decode_layout<ReqRealTimeBars>(reader, server_version));
            return;
        case outgoing::kCancelRealTimeBars:
            handler.on_cancel_real_time_bars(decode_layout<CancelRealTimeBars>(reader, server_version));
            return;
        case outgoing::kReqTickByTickData:
            handler.on_req_tick_by_tick_data(decode_layout<ReqTickByTickData>(reader, server_version));
            return;
        case outgoing::kCancelTickByTickData:
            handler.on_cancel_tick_by_tick_data(decode_layout<CancelTickByTickData>(reader, server_version));
            return;
        case outgoing::kReqHistoricalData:
            handler.on_req_historical_data(decode_layout<ReqHistoricalData>(reader, server_version));
            return;
        case outgoing::kCancelHistoricalData:
            handler.on_cancel_historical_data(decode_layout<CancelHistoricalData>(reader, server_version));
            return;
        case outgoing::kReqCurrentTime:
            handler.on_req_current_time(decode_layout<ReqCurrentTime>(reader, server_version));
            return;
        default:
            handler.on_unknown_request(message_id);
            return;
    }
}

}  // namespace

void encode(std::string& out, const StartApi& message, int server_version) {
    encode_with_id(out, outgoing::kStartApi, message, server_version);
}
void encode(std::string& out, const ReqMktData& message, int server_version) {
    encode_with_id(out, outgoing::kReqMktData, message, server_version);
}
void encode(std::string& out, const CancelMktData& message, int server_version) {
    encode_with_id(out, outgoing::kCancelMktData, message, server_version);
}
void encode(std::string& out, const ReqMarketDataType& message, int server_version) {
    encode_with_id(out, outgoing::kReqMarketDataType, message, server_version);
}
void encode(std::string& out, const ReqRealTimeBars& message, int server_version) {
    encode_with_id(out, outgoing::kReqRealTimeBars, message, server_version);
}
void encode(std::string& out, const CancelRealTimeBars& message, int server_version) {
    encode_with_id(out, outgoing::kCancelRealTimeBars, message, server_version);
}
void encode(std::string& out, const ReqTickByTickData& message, int server_version) {
    encode_with_id(out, outgoing::kReqTickByTickData, message, server_version);
}
void encode(std::string& out, const CancelTickByTickData& message, int server_version) {
    encode_with_id(out, outgoing::kCancelTickByTickData, message, server_version);
}
void encode(std::string& out, const ReqHistoricalData& message, int server_version) {
    encode_with_id(out, outgoing::kReqHistoricalData, message, server_version);
}
void encode(std::string& out, const CancelHistoricalData& message, int server_version) {
    encode_with_id(out, outgoing::kCancelHistoricalData, message, server_version);
}
void encode(std::string& out, const ReqCurrentTime& message, int server_version) {
    encode_with_id(out, outgoing::kReqCurrentTime, message, server_version);
}

void decode_client_message(std::string_view payload, int server_version, ClientMessageHandler& handler) {
    decode_with_id(
        payload, [&](int message_id, FieldReader& reader) { dispatch(message_id, reader, server_version, handler); },
        client_message_name);
}

std::string client_message_name(int message_id) {
    switch (message_id) {
        case outgoing::kStartApi:
            return "startApi";
        case outgoing::kReqMktData:
            return "reqMktData";
        case outgoing::kCancelMktData:
            return "cancelMktData";
        case outgoing::kReqMarketDataType:
            return "reqMarketDataType";
        case outgoing::kReqRealTimeBars:
            return "reqRealTimeBars";
        case outgoing::kCancelRealTimeBars:
            return "cancelRealTimeBars";
        case outgoing::kReqTickByTickData:
            return "reqTickByTickData";
        case outgoing::kCancelTickByTickData:
            return "cancelTickByTickData";
        case outgoing::kReqHistoricalData:
            return "reqHistoricalData";
        case outgoing::kCancelHistoricalData:
            return "cancelHistoricalData";
        case outgoing::kReqCurrentTime:
            return "reqCurrentTime";
        default:
            return "message " + std::to_string(message_id);
    }
}

}  // namespace mdp::ibkr
