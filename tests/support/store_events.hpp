#pragma once
// Store records for tests that feed host components directly (the symbol tracker): a
// trade of one symbol by one provider, the rest of the record zeroed.

#include <mdp/plugin_api.h>

#include "pipeline/store_event.hpp"

#include <cstring>

namespace mdp::test {

inline pipeline::StoreEvent store_trade(std::uint32_t provider_id, const char* symbol, double price) {
    pipeline::StoreEvent record{};
    record.event.size = sizeof(mdp_event_t);
    record.event.type = MDP_EVENT_TRADE;
    std::strncpy(record.event.symbol, symbol, MDP_SYMBOL_CAPACITY - 1);
    record.event.body.trade.price = price;
    record.provider_id = provider_id;
    return record;
}

}  // namespace mdp::test
