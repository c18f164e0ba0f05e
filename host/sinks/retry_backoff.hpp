#pragma once
// Exponential backoff with jitter between a sink's write attempts: after the n-th consecutive
// failure (n from 1) wait a random duration in [d/2, d] where
// d = min(max_delay, initial_delay * 2^(n-1)), so writers that fail together (one database,
// several hosts) do not retry in lockstep.

#include <chrono>
#include <cstdint>
#include <random>

namespace mdp::sinks {

class RetryBackoff {
   public:
    RetryBackoff(std::chrono::milliseconds initial_delay, std::chrono::milliseconds max_delay);

    [[nodiscard]] std::chrono::milliseconds delay_before_retry(std::uint32_t failed_attempts);

   private:
    std::chrono::milliseconds initial_delay_;
    std::chrono::milliseconds max_delay_;
    std::mt19937_64 random_;
};

}  // namespace mdp::sinks
