#pragma once
// The record carried by the store queue: a provider's event in the host's own layout plus
// what the host adds at publish time.

#include <mdp/plugin_api.h>

#include <cstdint>

namespace mdp::pipeline {

struct StoreEvent {
    mdp_event_t event;  // normalised: size == sizeof(mdp_event_t), symbol NUL-terminated
    std::uint64_t sequence;  // publish sequence: per provider instance and run, from 1, assigned at publish
    std::uint32_t provider_id;  // index into the provider registry: the instance that published it
    // 0: the event's identity is the host's own (provider name, run id, `sequence`). Otherwise
    // it was published with an identity (MDP_HOST_PUBLISH_IDENTIFIED_ID): its origin's id in
    // EventOrigins, and the origin's seq in `origin_sequence`. sinks::stored_identity() reads it.
    std::uint32_t origin_id;
    std::uint64_t origin_sequence;  // 0 when origin_id is 0
};

static_assert(sizeof(StoreEvent) % 8 == 0, "StoreEvent must stay 8-byte aligned in arrays");

}  // namespace mdp::pipeline
