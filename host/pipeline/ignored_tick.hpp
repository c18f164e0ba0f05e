#pragma once
// Why the bar operator left a published tick out of its bars: the `reason` label of
// mdp_bar_ticks_ignored_total. The tick itself is stored as always.

#include <array>
#include <string_view>

namespace mdp::pipeline {

enum class IgnoredTick : unsigned {
    late,  // its interval was already closed (docs/data-quality.md, "Late ticks")
    unpriced,  // no usable price: a trade's price or size, or a quote's mid, not finite (or size < 0)
    future,  // its event time is ahead of the host's clock by more than grace_ms + 1 s
};

// Every reason, in the order of their values (which index arrays of per-reason counts).
inline constexpr std::array kIgnoredTicks{IgnoredTick::late, IgnoredTick::unpriced, IgnoredTick::future};
static_assert(static_cast<std::size_t>(kIgnoredTicks.back()) == kIgnoredTicks.size() - 1);

constexpr std::string_view to_string(IgnoredTick reason) {
    switch (reason) {
        case IgnoredTick::late:
            return "late";
        case IgnoredTick::unpriced:
            return "unpriced";
        case IgnoredTick::future:
            return "future";
    }
    return "unknown";
}

}  // namespace mdp::pipeline
