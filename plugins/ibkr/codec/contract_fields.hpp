#pragma once
// The 12-field contract block that requests carry (reqMktData, reqRealTimeBars, ...).
// Views only: the strings belong to whoever built the request (the provider's contract
// config, or the frame being decoded).

#include "field_archive.hpp"

#include <string_view>

namespace mdp::ibkr {

struct ContractFields {
    int con_id = 0;
    std::string_view symbol;
    std::string_view sec_type;
    std::string_view last_trade_date_or_contract_month;
    double strike = 0.0;  // 0 when not an option; NaN (unset) writes an empty field
    std::string_view right;
    std::string_view multiplier;
    std::string_view exchange;
    std::string_view primary_exchange;
    std::string_view currency;
    std::string_view local_symbol;
    std::string_view trading_class;
};

template <typename Archive, typename Message>
requires IsMessage<Message, ContractFields>
void layout(Archive& a, Message& m) {
    a.integer(m.con_id);
    a.text(m.symbol);
    a.text(m.sec_type);
    a.text(m.last_trade_date_or_contract_month);
    a.decimal(m.strike);
    a.text(m.right);
    a.text(m.multiplier);
    a.text(m.exchange);
    a.text(m.primary_exchange);
    a.text(m.currency);
    a.text(m.local_symbol);
    a.text(m.trading_class);
}

}  // namespace mdp::ibkr
