#include "sinks/circuit_breaker.hpp"

#include <algorithm>

namespace mdp::sinks {

CircuitBreaker::CircuitBreaker(std::uint32_t failure_threshold, std::chrono::milliseconds cooldown)
    : failure_threshold_(std::max<std::uint32_t>(1, failure_threshold)), cooldown_(cooldown) {}

bool CircuitBreaker::allow_attempt(Clock::time_point now) {
    if (state() != State::open) {
        return true;
    }
    if (now - opened_at_ < cooldown_) {
        return false;
    }
    state_.store(State::half_open, std::memory_order_relaxed);
    return true;
}

void CircuitBreaker::record_success() {
    consecutive_failures_ = 0;
    state_.store(State::closed, std::memory_order_relaxed);
}

void CircuitBreaker::record_failure(Clock::time_point now) {
    ++consecutive_failures_;
    if (state() == State::half_open || consecutive_failures_ >= failure_threshold_) {
        state_.store(State::open, std::memory_order_relaxed);
        opened_at_ = now;
    }
}

std::chrono::milliseconds CircuitBreaker::remaining_cooldown(Clock::time_point now) const {
    if (state() != State::open) {
        return std::chrono::milliseconds(0);
    }
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - opened_at_);
    return std::max(std::chrono::milliseconds(0), cooldown_ - elapsed);
}

std::string circuit_state_name(CircuitBreaker::State state) {
    switch (state) {
        case CircuitBreaker::State::closed:
            return "closed";
        case CircuitBreaker::State::open:
            return "open";
        case CircuitBreaker::State::half_open:
            return "half_open";
    }
    return "closed";
}

}  // namespace mdp::sinks
