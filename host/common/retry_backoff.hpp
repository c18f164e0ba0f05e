#pragma once
// Capped exponential backoff with jitter, the one policy for every retry in the host (a
// sink's write, the store coordinator's retry of a batch, a provider's restart): after the
// n-th consecutive failure (n from 1) wait a random duration in [d/2, d] where
// d = min(max_delay, initial_delay * 2^(n-1)), so parties that fail together (one database,
// several hosts or providers) do not retry in lockstep.

#include <chrono>
#include <cstdint>
#include <random>

namespace mdp::common {

// The delay before the retry that follows `failed_attempts` consecutive failures (0 counts
// as 1). `max_delay` below `initial_delay` is taken as `initial_delay`.
[[nodiscard]] std::chrono::milliseconds jittered_backoff(std::chrono::milliseconds initial_delay,
                                                         std::chrono::milliseconds max_delay,
                                                         std::uint32_t failed_attempts, std::mt19937_64& random);

// The same policy with fixed delays and its own random source. [single-thread]
class RetryBackoff {
   public:
    RetryBackoff(std::chrono::milliseconds initial_delay, std::chrono::milliseconds max_delay);

    [[nodiscard]] std::chrono::milliseconds delay_before_retry(std::uint32_t failed_attempts);

   private:
    std::chrono::milliseconds initial_delay_;
    std::chrono::milliseconds max_delay_;
    std::mt19937_64 random_;
};

}  // namespace mdp::common
