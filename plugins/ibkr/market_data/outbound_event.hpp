#pragma once
// An event on its way from the socket thread to the publisher, with the contract slot it
// belongs to (quotes are conflated per slot).

#include <mdp/plugin_api.h>

#include <cstdint>

namespace mdp::ibkr {

struct OutboundEvent {
    mdp_event_t event;
    std::uint32_t slot;  // contract index
};

}  // namespace mdp::ibkr
