#pragma once
// Server -> client messages and their one layout each; see field_archive.hpp. Encoding and
// decoding live in server_message_codec.hpp.

#include "decode_error.hpp"
#include "field_archive.hpp"
#include "message_ids.hpp"
#include "server_versions.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace mdp::ibkr {

inline constexpr double kUnsetNumber = std::numeric_limits<double>::quiet_NaN();

struct ManagedAccounts {
    std::string_view accounts;  // comma-separated
};

struct NextValidId {
    std::int64_t order_id = 0;
};

struct ErrorMessage {
    int request_id = -1;  // -1: a system message not tied to a request
    int code = 0;
    std::string_view message;
    std::string_view advanced_order_reject_json;  // from server version 166
    std::int64_t error_time_ms = 0;  // from server version 194
};

struct TickPrice {
    int request_id = 0;
    int tick_type = 0;
    double price = kUnsetNumber;
    double size = kUnsetNumber;
    int attribute_mask = 0;
};

struct TickSize {
    int request_id = 0;
    int tick_type = 0;
    double size = kUnsetNumber;
};

struct TickGeneric {
    int request_id = 0;
    int tick_type = 0;
    double value = kUnsetNumber;
};

struct TickString {
    int request_id = 0;
    int tick_type = 0;
    std::string_view value;
};

struct TickSnapshotEnd {
    int request_id = 0;
};

struct MarketDataTypeMessage {
    int request_id = 0;
    int market_data_type = 1;  // 1 live, 2 frozen, 3 delayed, 4 delayed-frozen
};

struct TickReqParams {
    int request_id = 0;
    double min_tick = kUnsetNumber;
    std::string_view bbo_exchange;
    int snapshot_permissions = 0;
};

struct RealTimeBar {
    int request_id = 0;
    std::int64_t time_seconds = 0;  // bar start, Unix seconds
    double open = kUnsetNumber;
    double high = kUnsetNumber;
    double low = kUnsetNumber;
    double close = kUnsetNumber;
    double volume = kUnsetNumber;
    double wap = kUnsetNumber;
    int count = 0;
};

// tickByTick: the fields present depend on tick_type (1 Last, 2 AllLast, 3 BidAsk,
// 4 MidPoint); the others keep their defaults.
struct TickByTick {
    int request_id = 0;
    int tick_type = 0;
    std::int64_t time_seconds = 0;
    double price = kUnsetNumber;  // Last/AllLast
    double size = kUnsetNumber;
    int attribute_mask = 0;  // Last: bit0 pastLimit, bit1 unreported; BidAsk: bit0 bidPastLow, bit1 askPastHigh
    std::string_view exchange;
    std::string_view special_conditions;
    double bid_price = kUnsetNumber;  // BidAsk
    double ask_price = kUnsetNumber;
    double bid_size = kUnsetNumber;
    double ask_size = kUnsetNumber;
    double mid_point = kUnsetNumber;  // MidPoint
};

// One bar of a historicalData reply. `date` is the bar's start as the request's formatDate
// asked: epoch seconds for format 2 (what this codec requests for intraday bars).
struct HistoricalBar {
    std::string_view date;
    double open = kUnsetNumber;
    double high = kUnsetNumber;
    double low = kUnsetNumber;
    double close = kUnsetNumber;
    double volume = kUnsetNumber;
    double wap = kUnsetNumber;
    int count = 0;
};

// historicalData: every bar of one request in one message. Before server version 196 it
// also carries the window's start and end; from 196 those come in historicalDataEnd.
struct HistoricalData {
    int request_id = 0;
    std::string_view start_date;  // before server version 196
    std::string_view end_date;  // before server version 196
    std::vector<HistoricalBar> bars;
};

// historicalDataEnd (server version 196 on): the reply to request_id is complete. The
// decoder also reports it after a pre-196 historicalData, so handlers see one end either way.
struct HistoricalDataEnd {
    int request_id = 0;
    std::string_view start_date;
    std::string_view end_date;
};

// More bars than any one reply can hold (a 16 MiB frame of 9-field bars): a count beyond is
// a corrupt message, not a reason to allocate.
inline constexpr int kMaxHistoricalBars = 1'000'000;

struct CurrentTime {
    std::int64_t time_seconds = 0;
};

// tickPrice attribute bits; their meaning grew with the server version.
struct TickAttributes {
    bool can_auto_execute = false;
    bool past_limit = false;
    bool pre_open = false;
};

inline TickAttributes tick_attributes(int attribute_mask, int server_version) {
    TickAttributes attributes;
    if (server_version >= server_version::kPastLimit) {
        attributes.can_auto_execute = (attribute_mask & 1) != 0;
        attributes.past_limit = (attribute_mask & 2) != 0;
        attributes.pre_open = server_version >= server_version::kPreOpenBidAsk && (attribute_mask & 4) != 0;
    } else {
        attributes.can_auto_execute = attribute_mask == 1;
    }
    return attributes;
}

// ------------------------------------------------------------------ layouts

template <typename Archive, typename Message>
requires IsMessage<Message, ManagedAccounts>
void layout(Archive& a, Message& m) {
    a.version(1);
    a.text(m.accounts);
}

template <typename Archive, typename Message>
requires IsMessage<Message, NextValidId>
void layout(Archive& a, Message& m) {
    a.version(1);
    a.integer(m.order_id);
}

template <typename Archive, typename Message>
requires IsMessage<Message, ErrorMessage>
void layout(Archive& a, Message& m) {
    if (a.server_version() < server_version::kErrorTime) {
        a.version(2);
    }
    a.integer(m.request_id);
    a.integer(m.code);
    a.text(m.message);
    if (a.server_version() >= server_version::kAdvancedOrderReject) {
        a.text(m.advanced_order_reject_json);
    }
    if (a.server_version() >= server_version::kErrorTime) {
        a.integer(m.error_time_ms);
    }
}

template <typename Archive, typename Message>
requires IsMessage<Message, TickPrice>
void layout(Archive& a, Message& m) {
    a.version(6);
    a.integer(m.request_id);
    a.integer(m.tick_type);
    a.price(m.price);
    a.size(m.size);
    a.integer(m.attribute_mask);
}

template <typename Archive, typename Message>
requires IsMessage<Message, TickSize>
void layout(Archive& a, Message& m) {
    a.version(6);
    a.integer(m.request_id);
    a.integer(m.tick_type);
    a.size(m.size);
}

template <typename Archive, typename Message>
requires IsMessage<Message, TickGeneric>
void layout(Archive& a, Message& m) {
    a.version(6);
    a.integer(m.request_id);
    a.integer(m.tick_type);
    a.decimal(m.value);
}

template <typename Archive, typename Message>
requires IsMessage<Message, TickString>
void layout(Archive& a, Message& m) {
    a.version(6);
    a.integer(m.request_id);
    a.integer(m.tick_type);
    a.text(m.value);
}

template <typename Archive, typename Message>
requires IsMessage<Message, TickSnapshotEnd>
void layout(Archive& a, Message& m) {
    a.version(1);
    a.integer(m.request_id);
}

template <typename Archive, typename Message>
requires IsMessage<Message, MarketDataTypeMessage>
void layout(Archive& a, Message& m) {
    a.version(1);
    a.integer(m.request_id);
    a.integer(m.market_data_type);
}

template <typename Archive, typename Message>
requires IsMessage<Message, TickReqParams>
void layout(Archive& a, Message& m) {
    a.integer(m.request_id);
    a.price(m.min_tick);
    a.text(m.bbo_exchange);
    a.integer(m.snapshot_permissions);
}

template <typename Archive, typename Message>
requires IsMessage<Message, RealTimeBar>
void layout(Archive& a, Message& m) {
    a.version(3);
    a.integer(m.request_id);
    a.integer(m.time_seconds);
    a.price(m.open);
    a.price(m.high);
    a.price(m.low);
    a.price(m.close);
    a.size(m.volume);
    a.price(m.wap);
    a.integer(m.count);
}

template <typename Archive, typename Message>
requires IsMessage<Message, TickByTick>
void layout(Archive& a, Message& m) {
    a.integer(m.request_id);
    a.integer(m.tick_type);
    a.integer(m.time_seconds);
    switch (m.tick_type) {
        case 0:
            return;  // "None"
        case 1:  // Last
        case 2:  // AllLast
            a.price(m.price);
            a.size(m.size);
            a.integer(m.attribute_mask);
            a.text(m.exchange);
            a.text(m.special_conditions);
            return;
        case 3:  // BidAsk
            a.price(m.bid_price);
            a.price(m.ask_price);
            a.size(m.bid_size);
            a.size(m.ask_size);
            a.integer(m.attribute_mask);
            return;
        case 4:  // MidPoint
            a.price(m.mid_point);
            return;
        default: {
            const std::string problem = "unknown tick type " + std::to_string(m.tick_type);
            if constexpr (Archive::kDecoding) {
                throw DecodeError(problem);
            } else {
                throw EncodeError(problem);
            }
        }
    }
}

template <typename Archive, typename Message>
requires IsMessage<Message, HistoricalBar>
void layout(Archive& a, Message& m) {
    a.text(m.date);
    a.price(m.open);
    a.price(m.high);
    a.price(m.low);
    a.price(m.close);
    a.size(m.volume);
    a.price(m.wap);
    if (a.server_version() < server_version::kSyntheticRealtimeBars) {
        std::string_view has_gaps = "false";  // dropped from 124 on; never meaningful here
        a.text(has_gaps);
    }
    a.integer(m.count);
}

template <typename Archive, typename Message>
requires IsMessage<Message, HistoricalData>
void layout(Archive& a, Message& m) {
    if (a.server_version() < server_version::kSyntheticRealtimeBars) {
        a.version(3);
    }
    a.integer(m.request_id);
    if (a.server_version() < server_version::kHistoricalDataEnd) {
        a.text(m.start_date);
        a.text(m.end_date);
    }
    int count = static_cast<int>(m.bars.size());
    a.integer(count);
    if constexpr (Archive::kDecoding) {
        if (count < 0 || count > kMaxHistoricalBars) {
            throw DecodeError("bar count " + std::to_string(count) + " is outside 0.." +
                              std::to_string(kMaxHistoricalBars));
        }
        m.bars.resize(static_cast<std::size_t>(count));
    }
    for (auto& bar : m.bars) {
        layout(a, bar);
    }
}

template <typename Archive, typename Message>
requires IsMessage<Message, HistoricalDataEnd>
void layout(Archive& a, Message& m) {
    a.integer(m.request_id);
    a.text(m.start_date);
    a.text(m.end_date);
}

template <typename Archive, typename Message>
requires IsMessage<Message, CurrentTime>
void layout(Archive& a, Message& m) {
    a.version(1);
    a.integer(m.time_seconds);
}

}  // namespace mdp::ibkr
