#pragma once
// Outgoing requests waiting for their turn under the client-side message rate. Requests are
// encoded when queued (at the connection's server version) and released by the token bucket,
// so subscribing hundreds of contracts at once never exceeds the configured rate.
// [session thread]

#include "session/token_bucket.hpp"

#include <chrono>
#include <cstddef>
#include <deque>
#include <string>

namespace mdp::ibkr {

class PacedOutbox {
   public:
    using Clock = TokenBucket::Clock;

    PacedOutbox(double messages_per_second, Clock::time_point now);

    // One complete frame.
    void push(std::string frame);
    // Appends to `out` the frames whose tokens are available now; returns how many.
    std::size_t release(std::string& out, Clock::time_point now);
    // When the next queued frame may go (time_point::max() when the queue is empty).
    [[nodiscard]] Clock::time_point next_release_time(Clock::time_point now) const;
    [[nodiscard]] std::size_t queued() const noexcept { return frames_.size(); }
    void clear() noexcept { frames_.clear(); }

    // TWS reported a pacing violation: halve the rate (not below 1/s) for `duration`.
    void slow_down(Clock::time_point now, Clock::duration duration);
    // Restores the configured rate once a slow-down has expired; true if it just did.
    bool restore_if_due(Clock::time_point now);
    [[nodiscard]] double current_rate() const noexcept { return bucket_.rate(); }
    [[nodiscard]] bool slowed_down() const noexcept { return slowed_until_ != Clock::time_point{}; }

   private:
    double configured_rate_;
    TokenBucket bucket_;
    std::deque<std::string> frames_;
    Clock::time_point slowed_until_{};
};

}  // namespace mdp::ibkr
