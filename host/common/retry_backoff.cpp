#include "common/retry_backoff.hpp"

#include <algorithm>

namespace mdp::common {

std::chrono::milliseconds jittered_backoff(std::chrono::milliseconds initial_delay, std::chrono::milliseconds max_delay,
                                           std::uint32_t failed_attempts, std::mt19937_64& random) {
    const std::int64_t cap_ms = std::max(initial_delay.count(), max_delay.count());
    std::int64_t ceiling_ms = initial_delay.count();
    for (std::uint32_t step = 1; step < failed_attempts && ceiling_ms < cap_ms; ++step) {
        ceiling_ms *= 2;  // stops doubling at the cap, so it cannot overflow
    }
    ceiling_ms = std::min(ceiling_ms, cap_ms);
    std::uniform_int_distribution<std::int64_t> jitter(ceiling_ms / 2, ceiling_ms);
    return std::chrono::milliseconds(jitter(random));
}

RetryBackoff::RetryBackoff(std::chrono::milliseconds initial_delay, std::chrono::milliseconds max_delay)
    : initial_delay_(initial_delay), max_delay_(max_delay), random_(std::random_device{}()) {}

std::chrono::milliseconds RetryBackoff::delay_before_retry(std::uint32_t failed_attempts) {
    return jittered_backoff(initial_delay_, max_delay_, failed_attempts, random_);
}

}  // namespace mdp::common
