#pragma once
// What the store queue does with a publish that does not fit.

#include "config/host_config.hpp"

#include <string_view>

namespace mdp::pipeline {

using config::OverflowPolicy;

constexpr std::string_view to_string(OverflowPolicy policy) {
    switch (policy) {
        case OverflowPolicy::block:
            return "block";
        case OverflowPolicy::drop_oldest:
            return "drop_oldest";
        case OverflowPolicy::drop_newest:
            return "drop_newest";
    }
    return "block";
}

// Why an event was dropped: the `reason` label of mdp_events_dropped_total.
enum class DropReason : unsigned { queue_full_newest, queue_full_oldest, shutdown, invalid, count_ };

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
        case DropReason::count_:
            break;
    }
    return "unknown";
}

}  // namespace mdp::pipeline
