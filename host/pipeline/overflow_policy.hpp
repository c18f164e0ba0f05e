#pragma once
// Why the store queue (or publish) drops an event. The overflow policy itself is a
// configuration value: config/overflow_policy.hpp.

#include <array>
#include <string_view>

namespace mdp::pipeline {

// Why an event was dropped: the `reason` label of mdp_events_dropped_total.
enum class DropReason : unsigned { queue_full_newest, queue_full_oldest, shutdown, invalid };

// Every reason, in the order of their values (which index arrays of per-reason counts).
inline constexpr std::array kDropReasons{DropReason::queue_full_newest, DropReason::queue_full_oldest,
                                         DropReason::shutdown, DropReason::invalid};
static_assert(static_cast<std::size_t>(kDropReasons.back()) == kDropReasons.size() - 1);

constexpr std::string_view to_string(DropReason reason) {
    switch (reason) {
        case DropReason::queue_full_newest:
            return "queue_full_newest";
        case DropReason::queue_full_oldest:
            return "queue_full_oldest";
        case DropReason::shutdown:
            return "shutdown";
        case DropReason::invalid:
            return "invalid";
    }
    return "unknown";
}

}  // namespace mdp::pipeline
