#include "pipeline/bar_operator.hpp"

namespace mdp::pipeline {

config::BarsConfig BarOperator::config() const {
    std::lock_guard lock(mutex_);
    return builder_ ? builder_->config() : config::BarsConfig{};
}

void BarOperator::count_outcome(TickOutcome outcome) {
    if (outcome == TickOutcome::late) {
        ignored_[static_cast<std::size_t>(IgnoredTick::late)].fetch_add(1, std::memory_order_relaxed);
    } else if (outcome == TickOutcome::unpriced) {
        ignored_[static_cast<std::size_t>(IgnoredTick::unpriced)].fetch_add(1, std::memory_order_relaxed);
    } else if (outcome == TickOutcome::future) {
        ignored_[static_cast<std::size_t>(IgnoredTick::future)].fetch_add(1, std::memory_order_relaxed);
    }
}

}  // namespace mdp::pipeline
