#pragma once
// The provider state and the one-line detail the status page shows, composed from everything
// the provider knows. A pure function, so each situation's wording is tested directly.

#include "market_data/outbound_buffer.hpp"
#include "session/session_status.hpp"
#include "session/subscription_book.hpp"

#include <string>

namespace mdp::ibkr {

struct StatusInputs {
    SessionStatus session;
    BookSummary book;
    std::string refused_text;  // lines refused by the line limit ("" if none)
    int market_data_type = 1;
    OutboundBuffer::Counters buffer;
    double rate_scale = 1.0;
};

struct ProviderStatus {
    int state = 0;  // MDP_STATE_RUNNING / _DEGRADED / _FAILED
    std::string detail;

    friend bool operator==(const ProviderStatus&, const ProviderStatus&) = default;
};

// The detail stays within the host's 511 bytes (longer text is cut at a clause boundary).
ProviderStatus describe_status(const StatusInputs& inputs);

}  // namespace mdp::ibkr
