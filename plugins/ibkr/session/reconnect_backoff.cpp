#include "session/reconnect_backoff.hpp"

#include <algorithm>
#include <cmath>

namespace mdp::ibkr {

ReconnectBackoff::ReconnectBackoff(const ReconnectConfig& config, std::uint64_t seed)
    : config_(config), random_(seed) {}

std::chrono::milliseconds ReconnectBackoff::jittered(double base_ms) {
    std::uniform_real_distribution<double> spread(-config_.jitter, config_.jitter);
    const double delay_ms = base_ms * (1.0 + spread(random_));
    return std::chrono::milliseconds(std::max<std::int64_t>(1, std::llround(delay_ms)));
}

std::chrono::milliseconds ReconnectBackoff::next_delay() {
    const double exponent = static_cast<double>(std::min<std::uint64_t>(attempts_, 62));
    const double base_ms = std::min(static_cast<double>(config_.max_delay_ms),
                                    static_cast<double>(config_.initial_delay_ms) * std::pow(2.0, exponent));
    ++attempts_;
    return jittered(base_ms);
}

std::chrono::milliseconds ReconnectBackoff::max_delay() {
    ++attempts_;
    return jittered(static_cast<double>(config_.max_delay_ms));
}

}  // namespace mdp::ibkr
