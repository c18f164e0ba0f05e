#pragma once
// A token bucket over an injected clock: at most `burst + rate * t` takes in any interval
// of length t. With burst = pacing_burst_for(rate), no sliding second sees more than TWS's
// 50 messages less a margin for delivery jitter, however many requests are queued at once.

#include <chrono>

namespace mdp::ibkr {

// TWS's limit on client messages per second (max market data lines / 2 with 100 lines).
inline constexpr double kTwsMessagesPerSecondLimit = 50.0;

// Messages of the limit kept free for delivery jitter: TWS counts messages as they arrive,
// and a message the network or the scheduler held up arrives together with later ones. With
// this margin a delay of up to margin / rate (111 ms at the default 45/s) still stays within
// the limit on arrival.
inline constexpr double kPacingJitterMargin = 5.0;

// The largest burst (1 to 5) that keeps any sliding second at or under the TWS limit less
// the jitter margin: after a burst of B, the rest of that second carries at most rate - 1
// more, so B + rate - 1 <= limit - margin (at rates above limit - margin the burst is 1 and
// the margin shrinks to limit - rate).
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
