#pragma once
// The fake gateway's 5-second bar timeline, shared by all its connections, and the bars it
// streamed on it, so reqHistoricalData can answer with what the live stream produced.
//
// Bar i starts at origin_epoch + 5 i seconds and is complete (its realtimeBar is due) at
// origin + (i + 1) * interval on the steady clock. With the real 5 s interval bar time is
// wall time; a faster test cadence makes bar time run ahead, the same for every connection,
// so a reconnect never reuses a bar time and a historical window is always in bar time.
//
// A bar of the window that no connection streamed (nobody subscribed, or the client was
// cut off) is answered flat at the previous close with no volume: the random walk only
// moves while it streams, so no trades happened then.
// [any-thread] (one mutex)

#include "codec/server_messages.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace mdp::ibkr::fake {

inline constexpr std::int64_t kBarSeconds = 5;

class BarTape {
   public:
    using Clock = std::chrono::steady_clock;

    BarTape(Clock::time_point origin, std::int64_t origin_epoch_seconds, Clock::duration interval);

    [[nodiscard]] std::int64_t start_seconds(std::int64_t index) const noexcept {
        return origin_epoch_seconds_ + kBarSeconds * index;
    }
    [[nodiscard]] Clock::time_point due(std::int64_t index) const noexcept { return origin_ + (index + 1) * interval_; }
    // The bar in progress at `now`.
    [[nodiscard]] std::int64_t index_at(Clock::time_point now) const noexcept;

    // A streamed bar of `symbol` (the first one recorded for a bar time wins: every
    // connection streams the same timeline).
    void record(const std::string& symbol, const RealTimeBar& bar);
    // The bars of `symbol` starting in [from_seconds, to_seconds) that are complete at `now`,
    // oldest first. `start_price`: the close before the first bar ever recorded.
    [[nodiscard]] std::vector<RealTimeBar> window(const std::string& symbol, std::int64_t from_seconds,
                                                  std::int64_t to_seconds, Clock::time_point now,
                                                  double start_price) const;

   private:
    Clock::time_point origin_;
    std::int64_t origin_epoch_seconds_;
    Clock::duration interval_;
    mutable std::mutex mutex_;
    std::map<std::string, std::map<std::int64_t, RealTimeBar>> bars_;  // by symbol, bar start
};

// Bars kept per symbol (an hour of 5-second bars a few times over); older ones are dropped.
inline constexpr std::size_t kTapeBarsPerSymbol = 4096;

}  // namespace mdp::ibkr::fake
