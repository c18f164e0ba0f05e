#pragma once
// A circuit breaker for a sink's database: after `failure_threshold` consecutive failed
// writes it opens and refuses attempts (callers fail fast instead of hammering a database
// that is down), after `cooldown` it half-opens and lets one attempt through; success closes
// it, failure opens it again for another cooldown. Time is passed in so tests control it.
// Used by one thread (the store coordinator); state() may be read from any thread.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace mdp::sinks {

class CircuitBreaker {
   public:
    using Clock = std::chrono::steady_clock;
    enum class State { closed, open, half_open };

    CircuitBreaker(std::uint32_t failure_threshold, std::chrono::milliseconds cooldown);

    // True when an attempt may go ahead now (moving open -> half_open once the cooldown passed).
    bool allow_attempt(Clock::time_point now);
    void record_success();
    void record_failure(Clock::time_point now);

    [[nodiscard]] State state() const { return state_.load(std::memory_order_relaxed); }
    [[nodiscard]] std::uint32_t consecutive_failures() const { return consecutive_failures_; }
    // How long until an open breaker half-opens (zero when not open).
    [[nodiscard]] std::chrono::milliseconds remaining_cooldown(Clock::time_point now) const;

   private:
    std::uint32_t failure_threshold_;
    std::chrono::milliseconds cooldown_;
    std::atomic<State> state_{State::closed};
    std::uint32_t consecutive_failures_ = 0;
    Clock::time_point opened_at_{};
};

// "closed", "open", "half_open" (the metric label values).
[[nodiscard]] std::string circuit_state_name(CircuitBreaker::State state);

}  // namespace mdp::sinks
