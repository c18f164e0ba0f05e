#pragma once
// Delays between reconnect attempts: exponential from the initial delay to the maximum
// (250 ms -> 5 s by default), each randomised by +-jitter so many clients restarted together
// do not reconnect in lockstep. reset() after a connection reached "ready".

#include "config/ibkr_config.hpp"

#include <chrono>
#include <cstdint>
#include <random>

namespace mdp::ibkr {

class ReconnectBackoff {
   public:
    ReconnectBackoff(const ReconnectConfig& config, std::uint64_t seed);

    // The delay before the next attempt; counts the attempt.
    std::chrono::milliseconds next_delay();
    // The maximum delay, jittered (used when retrying sooner is pointless, e.g. client id in use).
    std::chrono::milliseconds max_delay();
    void reset() noexcept { attempts_ = 0; }
    [[nodiscard]] std::uint64_t attempts() const noexcept { return attempts_; }
    // True when max_attempts (if any) consecutive attempts have failed.
    [[nodiscard]] bool exhausted() const noexcept {
        return config_.max_attempts != 0 && attempts_ >= config_.max_attempts;
    }

   private:
    std::chrono::milliseconds jittered(double base_ms);

    ReconnectConfig config_;
    std::uint64_t attempts_ = 0;
    std::mt19937_64 random_;
};

}  // namespace mdp::ibkr
