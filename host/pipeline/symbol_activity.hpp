#pragma once
// What the host remembers about one symbol of one provider: when it last saw each event
// type, the last price, and how many events arrived in the last minute. 64 bytes, no heap;
// updated without allocating (docs/data-quality.md states the memory per symbol).

#include "common/event_type.hpp"

#include <array>
#include <cstdint>
#include <limits>

namespace mdp::pipeline {

class SymbolActivity {
   public:
    // The minute window counts in 10-second steps: the current (partial) step and the five
    // before it, so "the last minute" spans 50 to 60 seconds.
    static constexpr std::int64_t kStepNs = 10'000'000'000;
    static constexpr std::size_t kSteps = 6;

    // One event of ABI type id `type` (unknown types count but keep no time) with `price`
    // (NaN: none), seen by the host at `seen_ns` (UTC ns).
    void record(std::uint16_t type, double price, std::int64_t seen_ns);

    // When an event of `type` was last seen; 0 = never.
    [[nodiscard]] std::int64_t last_seen_ns(common::EventType type) const { return last_seen_ns_by_type_[type]; }
    // When any event was last seen; 0 = never.
    [[nodiscard]] std::int64_t last_seen_ns() const;
    [[nodiscard]] double last_price() const { return last_price_; }
    // Events seen in the minute before `now_ns` (in 10-second steps, see kStepNs).
    [[nodiscard]] std::uint64_t events_in_last_minute(std::int64_t now_ns) const;

   private:
    common::PerEventType<std::int64_t> last_seen_ns_by_type_;
    double last_price_ = std::numeric_limits<double>::quiet_NaN();
    std::int64_t newest_step_ = 0;  // step index (seen_ns / kStepNs) of the newest count
    std::array<std::uint32_t, kSteps> step_counts_{};  // ring, indexed by step % kSteps
};

static_assert(sizeof(SymbolActivity) == 64, "SymbolActivity is part of the stated per-symbol memory");

}  // namespace mdp::pipeline
