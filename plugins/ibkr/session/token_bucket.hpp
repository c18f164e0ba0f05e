#pragma once
// A token bucket over an injected clock: at most `burst + rate * t` takes in any interval
// of length t. With burst = pacing_burst_for(rate), no sliding second sees more than TWS's
// 50 messages, however many requests are queued at once.

#include <chrono>

namespace mdp::ibkr {

// TWS's limit on client messages per second (max market data lines / 2 with 100 lines).
inline constexpr double kTwsMessagesPerSecondLimit = 50.0;

// The largest burst that keeps any sliding second at or under the TWS limit: after a burst
// of B, the rest of that second carries at most rate - 1 more, so B + rate - 1 <= limit.
double pacing_burst_for(double rate_per_second);

class TokenBucket {
   public:
    using Clock = std::chrono::steady_clock;

    TokenBucket(double rate_per_second, double burst, Clock::time_point now);

    bool try_take(Clock::time_point now);
    // Zero when a token is available at `now`.
    [[nodiscard]] Clock::duration time_until_available(Clock::time_point now) const;
    // Changes the rate (e.g. slowing down after a pacing violation); keeps the tokens held.
    void set_rate(double rate_per_second, Clock::time_point now);
    [[nodiscard]] double rate() const noexcept { return rate_; }

   private:
    void refill(Clock::time_point now);

    double rate_;
    double burst_;
    double tokens_;
    Clock::time_point last_refill_;
};

}  // namespace mdp::ibkr
