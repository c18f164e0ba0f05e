#pragma once
// Read-only views of the fields every sink stores, so all sinks name event types, flags and
// providers the same way. All functions are pure and allocation-free.

#include "common/event_type.hpp"
#include "pipeline/store_event.hpp"
#include "sinks/sink.hpp"

#include <mdp/plugin_api.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <span>
#include <string_view>

namespace mdp::sinks {

// The type of a stored record. Every record in the store queue has a type this host knows:
// the queue's only producer is the publish path (plugins/provider_publisher.cpp), which refuses
// a call holding a record of any other type before it reaches the queue (drop reason
// `invalid`). That check is the one place a bad record can arrive, so sinks do not check again
// and have no branch for an unknown type.
[[nodiscard]] constexpr common::EventType stored_type(const pipeline::StoreEvent& record) noexcept {
    return static_cast<common::EventType>(record.event.type);
}

[[nodiscard]] constexpr bool is_delayed(const mdp_event_t& event) noexcept {
    return (event.flags & MDP_EVENT_FLAG_DELAYED) != 0;
}

[[nodiscard]] constexpr bool is_snapshot(const mdp_event_t& event) noexcept {
    return (event.flags & MDP_EVENT_FLAG_SNAPSHOT) != 0;
}

// The text of a fixed-size C char array up to its first NUL (or its full size when a writer
// forgot the terminator; the host normalises symbols, but exchange/conditions come verbatim).
template <std::size_t Capacity>
[[nodiscard]] std::string_view fixed_text(const char (&text)[Capacity]) noexcept {
    const void* terminator = std::memchr(text, '\0', Capacity);
    const std::size_t length =
        terminator == nullptr ? Capacity : static_cast<std::size_t>(static_cast<const char*>(terminator) - text);
    return {text, length};
}

// The provider instance name for an event; the host guarantees provider_id is in range, and
// an out-of-range id (a host bug) maps to "" rather than reading out of bounds.
[[nodiscard]] inline std::string_view provider_name(const SinkContext& context, std::uint32_t provider_id) noexcept {
    return context.provider_names.at(provider_id);
}

// Events of a batch per type.
using EventTypeCounts = common::PerEventType<std::uint64_t>;

[[nodiscard]] inline EventTypeCounts count_event_types(std::span<const pipeline::StoreEvent> batch) noexcept {
    EventTypeCounts counts{};
    for (const auto& record : batch) {
        ++counts[stored_type(record)];
    }
    return counts;
}

// The identity a sink stores for an event, which its idempotent keys are made of: the host's
// own (the publishing instance's name, this run's id, the publish sequence) or, for an event
// published with an identity, its origin's. The views live as long as `context`.
struct StoredIdentity {
    std::string_view provider;
    std::string_view run_id;
    std::uint64_t sequence = 0;
};

[[nodiscard]] inline StoredIdentity stored_identity(const SinkContext& context,
                                                    const pipeline::StoreEvent& record) noexcept {
    if (record.origin_id != 0) {
        if (const pipeline::EventOrigin* origin = context.origins.find(record.origin_id)) {
            return {origin->provider, origin->run_id, record.origin_sequence};
        }
    }
    return {provider_name(context, record.provider_id), context.run_id, record.sequence};
}

// NaN means "not known" in the ABI; sinks store it as NULL / null.
[[nodiscard]] inline bool is_known(double value) noexcept { return std::isfinite(value); }

}  // namespace mdp::sinks
