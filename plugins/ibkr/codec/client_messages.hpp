#pragma once
// Client -> server messages (requests) and their one layout each; see field_archive.hpp.
// Encoding and decoding live in client_message_codec.hpp.

#include "contract_fields.hpp"
#include "decode_error.hpp"
#include "field_archive.hpp"
#include "message_ids.hpp"
#include "server_versions.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace mdp::ibkr {

struct StartApi {
    int client_id = 0;
    std::string_view optional_capabilities;
};

struct ReqMktData {
    int request_id = 0;
    ContractFields contract;
    // A delta-neutral contract for option combos; rarely used, carried for completeness.
    bool delta_neutral = false;
    int delta_neutral_con_id = 0;
    double delta_neutral_delta = 0.0;
    double delta_neutral_price = 0.0;
    std::string_view generic_tick_list;  // e.g. "233" for RTVolume
    bool snapshot = false;
    bool regulatory_snapshot = false;  // sent from server version 114
    std::string_view market_data_options;
};

struct CancelMktData {
    int request_id = 0;
};

struct ReqMarketDataType {
    int market_data_type = 1;  // 1 live, 2 frozen, 3 delayed, 4 delayed-frozen
};

struct ReqRealTimeBars {
    int request_id = 0;
    ContractFields contract;
    int bar_size_seconds = 5;  // TWS only offers 5-second bars
    std::string_view what_to_show;  // TRADES, MIDPOINT, BID, ASK
    bool use_rth = false;
    std::string_view options;
};

struct CancelRealTimeBars {
    int request_id = 0;
};

struct ReqTickByTickData {
    int request_id = 0;
    ContractFields contract;
    std::string_view tick_type;  // "Last", "AllLast", "BidAsk", "MidPoint"
    int number_of_ticks = 0;  // from server version 140
    bool ignore_size = false;  // from server version 140
};

struct CancelTickByTickData {
    int request_id = 0;
};

// Bars of a past window. This codec asks for epoch-second bar times (format_date 2) and
// never for keepUpToDate streams; both are carried so the fake gateway can decode any request.
struct ReqHistoricalData {
    int request_id = 0;
    ContractFields contract;
    bool include_expired = false;
    std::string_view end_date_time;  // "yyyymmdd-hh:mm:ss" in UTC; "" = now
    std::string_view bar_size_setting;  // "5 secs", "1 min", ...
    std::string_view duration;  // "300 S", "1 D", ...
    bool use_rth = false;
    std::string_view what_to_show;  // TRADES, MIDPOINT, BID, ASK, ...
    int format_date = 2;  // 1 "yyyymmdd  hh:mm:ss", 2 epoch seconds
    bool keep_up_to_date = false;  // sent from server version 124
    std::string_view chart_options;
};

struct CancelHistoricalData {
    int request_id = 0;
};

struct ReqCurrentTime {};

// ------------------------------------------------------------------ layouts

namespace detail {
// BAG (combo) contracts need leg lists this codec does not model; refusing them is better
// than sending a request TWS would misread.
template <typename Archive>
void refuse_combo_contract(const ContractFields& contract) {
    if (contract.sec_type == "BAG") {
        if constexpr (Archive::kDecoding) {
            throw DecodeError("BAG (combo) contracts are not supported");
        } else {
            throw EncodeError("BAG (combo) contracts are not supported");
        }
    }
}
}  // namespace detail

template <typename Archive, typename Message>
requires IsMessage<Message, StartApi>
void layout(Archive& a, Message& m) {
    a.version(2);
    a.integer(m.client_id);
    if (a.server_version() >= server_version::kOptionalCapabilities) {
        a.text(m.optional_capabilities);
    }
}

template <typename Archive, typename Message>
requires IsMessage<Message, ReqMktData>
void layout(Archive& a, Message& m) {
    a.version(11);
    a.integer(m.request_id);
    layout(a, m.contract);
    detail::refuse_combo_contract<Archive>(m.contract);
    a.flag(m.delta_neutral);
    if (m.delta_neutral) {
        a.integer(m.delta_neutral_con_id);
        a.decimal(m.delta_neutral_delta);
        a.decimal(m.delta_neutral_price);
    }
    a.text(m.generic_tick_list);
    a.flag(m.snapshot);
    if (a.server_version() >= server_version::kSmartComponents) {
        a.flag(m.regulatory_snapshot);
    }
    a.text(m.market_data_options);
}

template <typename Archive, typename Message>
requires IsMessage<Message, CancelMktData>
void layout(Archive& a, Message& m) {
    a.version(2);
    a.integer(m.request_id);
}

template <typename Archive, typename Message>
requires IsMessage<Message, ReqMarketDataType>
void layout(Archive& a, Message& m) {
    a.version(1);
    a.integer(m.market_data_type);
}

template <typename Archive, typename Message>
requires IsMessage<Message, ReqRealTimeBars>
void layout(Archive& a, Message& m) {
    a.version(3);
    a.integer(m.request_id);
    layout(a, m.contract);
    a.integer(m.bar_size_seconds);
    a.text(m.what_to_show);
    a.flag(m.use_rth);
    a.text(m.options);
}

template <typename Archive, typename Message>
requires IsMessage<Message, CancelRealTimeBars>
void layout(Archive& a, Message& m) {
    a.version(1);
    a.integer(m.request_id);
}

template <typename Archive, typename Message>
requires IsMessage<Message, ReqTickByTickData>
void layout(Archive& a, Message& m) {
    if (a.server_version() < server_version::kTickByTick) {
        const std::string problem = "tick-by-tick data needs server version " +
                                    std::to_string(server_version::kTickByTick) + ", this connection speaks " +
                                    std::to_string(a.server_version());
        if constexpr (Archive::kDecoding) {
            throw DecodeError(problem);
        } else {
            throw EncodeError(problem);
        }
    }
    a.integer(m.request_id);
    layout(a, m.contract);
    a.text(m.tick_type);
    if (a.server_version() >= server_version::kTickByTickIgnoreSize) {
        a.integer(m.number_of_ticks);
        a.flag(m.ignore_size);
    }
}

template <typename Archive, typename Message>
requires IsMessage<Message, CancelTickByTickData>
void layout(Archive& a, Message& m) { a.integer(m.request_id); }

template <typename Archive, typename Message>
requires IsMessage<Message, ReqHistoricalData>
void layout(Archive& a, Message& m) {
    if (a.server_version() < server_version::kSyntheticRealtimeBars) {
        a.version(6);
    }
    a.integer(m.request_id);
    layout(a, m.contract);
    detail::refuse_combo_contract<Archive>(m.contract);
    a.flag(m.include_expired);
    a.text(m.end_date_time);
    a.text(m.bar_size_setting);
    a.text(m.duration);
    a.flag(m.use_rth);
    a.text(m.what_to_show);
    a.integer(m.format_date);
    if (a.server_version() >= server_version::kSyntheticRealtimeBars) {
        a.flag(m.keep_up_to_date);
    }
    a.text(m.chart_options);
}

template <typename Archive, typename Message>
requires IsMessage<Message, CancelHistoricalData>
void layout(Archive& a, Message& m) {
    a.version(1);
    a.integer(m.request_id);
}

template <typename Archive, typename Message>
requires IsMessage<Message, ReqCurrentTime>
void layout(Archive& a, Message& /*m*/) { a.version(1); }

}  // namespace mdp::ibkr
