#pragma once
// The record carried by the store queue: a provider's event in the host's own layout plus
// what the host adds at publish time.

#include <mdp/plugin_api.h>

#include <cstdint>

namespace mdp::pipeline {

struct StoreEvent {
    mdp_event_t event;  // normalised: size == sizeof(mdp_event_t), symbol NUL-terminated
    std::uint64_t sequence;  // per provider instance and run, from 1, assigned at publish
    std::uint32_t provider_id;  // index into the provider registry
    std::uint32_t reserved;  // keeps the record a multiple of 8 bytes
};

static_assert(sizeof(StoreEvent) % 8 == 0, "StoreEvent must stay 8-byte aligned in arrays");

}  // namespace mdp::pipeline
