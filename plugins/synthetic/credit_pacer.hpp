#pragma once
// Paces a publisher to a target rate with credits (a token bucket) instead of a sleep per
// event: credit accrues with elapsed steady-clock time at `rate × scale` events per second,
// each published event spends one, and the publisher sleeps only when it has less than a
// worthwhile batch. That keeps millions of events per second cheap (one clock read and one
// publish per batch) and the long-run rate exact.
//
// Rate scale (from the host's backpressure): 1.0 full rate, 0.5 half, 0.0 pause (no credit
// accrues at all, however long the pause). Credit is capped at `burst_seconds` worth of the
// full rate so a stall (e.g. a publish blocked on a full queue) is not followed by an
// unbounded burst. Times are steady-clock nanoseconds. Not thread-safe: one per worker.

#include <cstdint>
#include <optional>

namespace mdp::synthetic {

class CreditPacer {
   public:
    // `events_per_second` > 0. `burst_seconds` > 0: how much credit may accumulate.
    explicit CreditPacer(double events_per_second, double burst_seconds = 0.1) noexcept;

    // Accrues credit for the time since the previous call, at `scale` (clamped to 0..1).
    // The first call only starts the clock.
    void accrue(std::int64_t now_ns, double scale) noexcept;

    // Whole events that may be published now.
    [[nodiscard]] std::uint64_t available() const noexcept;

    // Spends credit for `events` published events (never below zero).
    void spend(std::uint64_t events) noexcept;

    // The smallest batch worth waking up for at `scale`: about 5 ms of events, at least 1
    // and at most `max_batch`.
    [[nodiscard]] std::uint64_t worthwhile_batch(double scale, std::uint64_t max_batch) const noexcept;

    // Nanoseconds until `events` credits are available at `scale` (0 when they already are);
    // nullopt when `scale` is 0, i.e. never without a scale change.
    [[nodiscard]] std::optional<std::int64_t> time_until(std::uint64_t events, double scale) const noexcept;

    [[nodiscard]] double events_per_second() const noexcept { return events_per_second_; }

   private:
    double events_per_second_;
    double max_credit_;
    double credit_ = 0.0;
    std::optional<std::int64_t> last_ns_;
};

}  // namespace mdp::synthetic
