#include "server_message_codec.hpp"

#include "message_framing.hpp"

namespace mdp::ibkr {

namespace {

// Before server version 196 the reply is one message; the handler sees an end either way.
void dispatch_historical_data(FieldReader& reader, int server_version, ServerMessageHandler& handler) {
    const auto message = decode_layout<HistoricalData>(reader, server_version);
    handler.on_historical_data(message);
    if (server_version < server_version::kHistoricalDataEnd) {
        handler.on_historical_data_end(HistoricalDataEnd{message.request_id, message.start_date, message.end_date});
    }
}

// Ordered by how often each arrives on a market data connection.
void dispatch(int message_id, FieldReader& reader, int server_version, ServerMessageHandler& handler) {
    switch (message_id) {
        case incoming::kTickPrice:
            handler.on_tick_price(decode_layout<TickPrice>(reader, server_version));
            return;
        case incoming::kTickSize:
            handler.on_tick_size(decode_layout<TickSize>(reader, server_version));
            return;
        case incoming::kTickString:
            handler.on_tick_string(decode_layout<TickString>(reader, server_version));
            return;
        case incoming::kTickGeneric:
            handler.on_tick_generic(decode_layout<TickGeneric>(reader, server_version));
            return;
        case incoming::kRealTimeBar:
            handler.on_real_time_bar(decode_layout<RealTimeBar>(reader, server_version));
            return;
        case incoming::kTickByTick:
            handler.on_tick_by_tick(decode_layout<TickByTick>(reader, server_version));
            return;
        case incoming::kError:
            handler.on_error(decode_layout<ErrorMessage>(reader, server_version));
            return;
        case incoming::kTickReqParams:
            handler.on_tick_req_params(decode_layout<TickReqParams>(reader, server_version));
            return;
        case incoming::kMarketDataType:
            handler.on_market_data_type(decode_layout<MarketDataTypeMessage>(reader, server_version));
            return;
        case incoming::kTickSnapshotEnd:
            handler.on_tick_snapshot_end(decode_layout<TickSnapshotEnd>(reader, server_version));
            return;
        case incoming::kNextValidId:
            handler.on_next_valid_id(decode_layout<NextValidId>(reader, server_version));
            return;
        case incoming::kManagedAccounts:
            handler.on_managed_accounts(decode_layout<ManagedAccounts>(reader, server_version));
            return;
        case incoming::kHistoricalData:
            dispatch_historical_data(reader, server_version, handler);
            return;
        case incoming::kHistoricalDataEnd:
            handler.on_historical_data_end(decode_layout<HistoricalDataEnd>(reader, server_version));
            return;
        case incoming::kCurrentTime:
            handler.on_current_time(decode_layout<CurrentTime>(reader, server_version));
            return;
        default:
            handler.on_unknown_message(message_id);
            return;
    }
}

}  // namespace

void encode(std::string& out, const ManagedAccounts& message, int server_version) {
    encode_with_id(out, incoming::kManagedAccounts, message, server_version);
}
void encode(std::string& out, const NextValidId& message, int server_version) {
    encode_with_id(out, incoming::kNextValidId, message, server_version);
}
void encode(std::string& out, const ErrorMessage& message, int server_version) {
    encode_with_id(out, incoming::kError, message, server_version);
}
void encode(std::string& out, const TickPrice& message, int server_version) {
    encode_with_id(out, incoming::kTickPrice, message, server_version);
}
void encode(std::string& out, const TickSize& message, int server_version) {
    encode_with_id(out, incoming::kTickSize, message, server_version);
}
void encode(std::string& out, const TickGeneric& message, int server_version) {
    encode_with_id(out, incoming::kTickGeneric, message, server_version);
}
void encode(std::string& out, const TickString& message, int server_version) {
    encode_with_id(out, incoming::kTickString, message, server_version);
}
void encode(std::string& out, const TickSnapshotEnd& message, int server_version) {
    encode_with_id(out, incoming::kTickSnapshotEnd, message, server_version);
}
void encode(std::string& out, const MarketDataTypeMessage& message, int server_version) {
    encode_with_id(out, incoming::kMarketDataType, message, server_version);
}
void encode(std::string& out, const TickReqParams& message, int server_version) {
    encode_with_id(out, incoming::kTickReqParams, message, server_version);
}
void encode(std::string& out, const HistoricalData& message, int server_version) {
    encode_with_id(out, incoming::kHistoricalData, message, server_version);
}
void encode(std::string& out, const HistoricalDataEnd& message, int server_version) {
    if (server_version < server_version::kHistoricalDataEnd) {
        throw EncodeError("historicalDataEnd needs server version " +
                          std::to_string(server_version::kHistoricalDataEnd) +
                          "; before it the end travels inside historicalData");
    }
    encode_with_id(out, incoming::kHistoricalDataEnd, message, server_version);
}
void encode(std::string& out, const RealTimeBar& message, int server_version) {
    encode_with_id(out, incoming::kRealTimeBar, message, server_version);
}
void encode(std::string& out, const TickByTick& message, int server_version) {
    encode_with_id(out, incoming::kTickByTick, message, server_version);
}
void encode(std::string& out, const CurrentTime& message, int server_version) {
    encode_with_id(out, incoming::kCurrentTime, message, server_version);
}

void decode_server_message(std::string_view payload, int server_version, ServerMessageHandler& handler) {
    decode_with_id(
        payload, [&](int message_id, FieldReader& reader) { dispatch(message_id, reader, server_version, handler); },
        server_message_name);
}

std::string server_message_name(int message_id) {
    switch (message_id) {
        case incoming::kTickPrice:
            return "tickPrice";
        case incoming::kTickSize:
            return "tickSize";
        case incoming::kError:
            return "error";
        case incoming::kNextValidId:
            return "nextValidId";
        case incoming::kManagedAccounts:
            return "managedAccounts";
        case incoming::kTickGeneric:
            return "tickGeneric";
        case incoming::kTickString:
            return "tickString";
        case incoming::kCurrentTime:
            return "currentTime";
        case incoming::kRealTimeBar:
            return "realtimeBar";
        case incoming::kHistoricalData:
            return "historicalData";
        case incoming::kHistoricalDataEnd:
            return "historicalDataEnd";
        case incoming::kTickSnapshotEnd:
            return "tickSnapshotEnd";
        case incoming::kMarketDataType:
            return "marketDataType";
        case incoming::kTickReqParams:
            return "tickReqParams";
        case incoming::kTickByTick:
            return "tickByTick";
        default:
            return "message " + std::to_string(message_id);
    }
}

}  // namespace mdp::ibkr
