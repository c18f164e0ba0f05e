#pragma once
// An in-place change of the contract list, applied to the three pieces that address
// contracts by slot — the subscription book, the translator and the outbound buffer — in one
// go, so a slot means the same contract in all of them.
//
// [the book's owner] The session thread while the session runs (TwsSession hands the change
// over); the control thread while it does not.

#include "config/contract_config.hpp"
#include "market_data/market_data_translator.hpp"
#include "market_data/outbound_buffer.hpp"
#include "session/paced_outbox.hpp"
#include "session/subscription_book.hpp"

#include <string>
#include <vector>

namespace mdp::ibkr {

// `outbox`: the streaming connection's (cancels and requests go out on it), or null when
// there is none (new lines wait for the next connection).
ContractChange apply_contract_list(const std::vector<ContractConfig>& next, SubscriptionBook& book,
                                   MarketDataTranslator& translator, OutboundBuffer& buffer, PacedOutbox* outbox,
                                   int server_version);

// One log line, e.g. "contract list changed in place: added MSFT; removed IBM; 2 contracts;
// 1 request and 1 cancel queued" (the first few names of each).
std::string describe_contract_change(const ContractChange& change, const SubscriptionBook& book);

}  // namespace mdp::ibkr
