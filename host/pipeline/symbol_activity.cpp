#include "pipeline/symbol_activity.hpp"

#include <algorithm>

namespace mdp::pipeline {

namespace {

std::size_t ring_index(std::int64_t step) {
    return static_cast<std::size_t>(step % static_cast<std::int64_t>(SymbolActivity::kSteps));
}

}  // namespace

void SymbolActivity::record(std::uint16_t type, double price, std::int64_t seen_ns) {
    if (const std::optional<common::EventType> known = common::event_type_of(type)) {
        auto& last = last_seen_ns_by_type_[*known];
        last = std::max(last, seen_ns);
    }
    if (price == price) {  // not NaN
        last_price_ = price;
    }
    const std::int64_t step = std::max<std::int64_t>(seen_ns, 0) / kStepNs;
    const auto steps = static_cast<std::int64_t>(kSteps);
    if (step > newest_step_) {
        // Clear the steps that passed without an event (at most the whole ring).
        for (std::int64_t cleared = std::max(newest_step_ + 1, step - steps + 1); cleared <= step; ++cleared) {
            step_counts_[ring_index(cleared)] = 0;
        }
        newest_step_ = step;
    } else if (step <= newest_step_ - steps) {
        return;  // older than the window (the wall clock stepped back by more than a minute)
    }
    ++step_counts_[ring_index(step)];
}

std::int64_t SymbolActivity::last_seen_ns() const {
    return *std::max_element(last_seen_ns_by_type_.values.begin(), last_seen_ns_by_type_.values.end());
}

std::uint64_t SymbolActivity::events_in_last_minute(std::int64_t now_ns) const {
    const std::int64_t now_step = std::max<std::int64_t>(now_ns, 0) / kStepNs;
    const auto steps = static_cast<std::int64_t>(kSteps);
    std::uint64_t total = 0;
    for (std::int64_t step = newest_step_; step > newest_step_ - steps && step >= 0; --step) {
        if (step > now_step - steps && step <= now_step) {
            total += step_counts_[ring_index(step)];
        }
    }
    return total;
}

}  // namespace mdp::pipeline
