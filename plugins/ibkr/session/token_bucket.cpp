#include "session/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace mdp::ibkr {

double pacing_burst_for(double rate_per_second) {
    return std::clamp(std::floor(kTwsMessagesPerSecondLimit - kPacingJitterMargin + 1.0 - rate_per_second), 1.0, 5.0);
}

TokenBucket::TokenBucket(double rate_per_second, double burst, Clock::time_point now)
    : rate_(rate_per_second), burst_(std::max(1.0, burst)), tokens_(std::max(1.0, burst)), last_refill_(now) {}

void TokenBucket::refill(Clock::time_point now) {
    if (now <= last_refill_) {
        return;
    }
    const double elapsed_seconds = std::chrono::duration<double>(now - last_refill_).count();
    tokens_ = std::min(burst_, tokens_ + elapsed_seconds * rate_);
    last_refill_ = now;
}

bool TokenBucket::try_take(Clock::time_point now) {
    refill(now);
    if (tokens_ >= 1.0) {
        tokens_ -= 1.0;
        return true;
    }
    return false;
}

TokenBucket::Clock::duration TokenBucket::time_until_available(Clock::time_point now) const {
    const double elapsed_seconds = now > last_refill_ ? std::chrono::duration<double>(now - last_refill_).count() : 0.0;
    const double tokens = std::min(burst_, tokens_ + elapsed_seconds * rate_);
    if (tokens >= 1.0) {
        return Clock::duration::zero();
    }
    const std::chrono::duration<double> wait((1.0 - tokens) / rate_);
    // Round up so a wake-up at that time finds the token there.
    return std::chrono::ceil<Clock::duration>(wait) + std::chrono::microseconds(1);
}

void TokenBucket::set_rate(double rate_per_second, Clock::time_point now) {
    refill(now);
    rate_ = rate_per_second;
}

}  // namespace mdp::ibkr
