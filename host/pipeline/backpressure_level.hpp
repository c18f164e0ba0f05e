#pragma once
// Backpressure levels and the hysteresis rule that moves between them.

#include <mdp/plugin_api.h>

#include <cstddef>
#include <string_view>

namespace mdp::pipeline {

enum class Level : int { ok = MDP_LEVEL_OK, soft = MDP_LEVEL_SOFT, hard = MDP_LEVEL_HARD };

constexpr std::string_view to_string(Level level) {
    switch (level) {
        case Level::ok:
            return "ok";
        case Level::soft:
            return "soft";
        case Level::hard:
            return "hard";
    }
    return "ok";
}

// Queue depths (events) where the level changes.
struct Watermarks {
    std::size_t low = 0;  // at or below: back to OK
    std::size_t high = 0;  // at or above: HARD
};

// The level after observing `depth` at `current`:
//  - HARD when depth >= high (from any level);
//  - SOFT when low < depth < high, from OK or SOFT (HARD does not step down to SOFT);
//  - OK only when depth <= low.
constexpr Level next_level(Level current, std::size_t depth, Watermarks marks) {
    if (depth >= marks.high) {
        return Level::hard;
    }
    if (depth <= marks.low) {
        return Level::ok;
    }
    return current == Level::hard ? Level::hard : Level::soft;
}

// Watermarks in events from fractions of capacity; high is at least low + 1 and at most
// capacity, so both levels stay reachable for any capacity.
Watermarks watermarks_for(std::size_t capacity, double low_fraction, double high_fraction);

}  // namespace mdp::pipeline
