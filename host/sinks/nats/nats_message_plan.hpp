#pragma once
// How the `nats` sink cuts one coordinator batch into messages. A message has one subject,
// and subjects carry provider, event type and symbol, so the events of a batch are grouped
// by (provider, origin, type, symbol) — one message carries one identity (the host's own or
// one origin's, see sinks::stored_identity) — each group in the batch's order, groups in the order of
// their first event — and a group longer than `max_events` becomes several messages. The
// cut is a pure function of the batch, so a batch written again (a retry) becomes exactly
// the same messages with the same ids, which is what lets the stream drop the repeats.

#include "common/event_type.hpp"
#include "pipeline/store_event.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace mdp::sinks {

struct PlannedMessage {
    std::uint32_t provider_id = 0;
    std::uint32_t origin_id = 0;  // 0: the host's own identity
    common::EventType type = common::EventType::quote;
    std::vector<std::uint32_t> indices;  // into the batch, ascending
};

[[nodiscard]] std::vector<PlannedMessage> plan_messages(std::span<const pipeline::StoreEvent> batch,
                                                        std::size_t max_events);

}  // namespace mdp::sinks
