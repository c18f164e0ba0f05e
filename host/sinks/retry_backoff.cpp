#include "sinks/retry_backoff.hpp"

#include <algorithm>

namespace mdp::sinks {

RetryBackoff::RetryBackoff(std::chrono::milliseconds initial_delay, std::chrono::milliseconds max_delay)
    : initial_delay_(initial_delay), max_delay_(std::max(initial_delay, max_delay)), random_(std::random_device{}()) {}

std::chrono::milliseconds RetryBackoff::delay_before_retry(std::uint32_t failed_attempts) {
    std::int64_t ceiling_ms = initial_delay_.count();
    for (std::uint32_t step = 1; step < failed_attempts && ceiling_ms < max_delay_.count(); ++step) {
        ceiling_ms *= 2;
    }
    ceiling_ms = std::min(ceiling_ms, max_delay_.count());
    std::uniform_int_distribution<std::int64_t> jitter(ceiling_ms / 2, ceiling_ms);
    return std::chrono::milliseconds(jitter(random_));
}

}  // namespace mdp::sinks
