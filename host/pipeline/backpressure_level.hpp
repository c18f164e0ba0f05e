#pragma once
// Backpressure levels and the hysteresis rule that moves between them.

#include <mdp/plugin_api.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string_view>

namespace mdp::pipeline {

enum class Level : int { ok = MDP_LEVEL_OK, soft = MDP_LEVEL_SOFT, hard = MDP_LEVEL_HARD };

// Every level, in the order of their values (which index arrays of per-level counts).
inline constexpr std::array kLevels{Level::ok, Level::soft, Level::hard};
static_assert(static_cast<int>(kLevels.front()) == 0 && static_cast<std::size_t>(kLevels.back()) == kLevels.size() - 1);

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

// The level with ABI value `value` (MDP_LEVEL_*), or nullopt.
constexpr std::optional<Level> level_of(int value) {
    for (const Level level : kLevels) {
        if (value == static_cast<int>(level)) {
            return level;
        }
    }
    return std::nullopt;
}

// Queue depths (events) where the level changes.
struct Watermarks {
    std::size_t low = 0;  // at or below: back to OK
    std::size_t high = 0;  // at or above: HARD
};

// What keeps a depth hovering at a watermark from toggling the level on every observation.
struct Hysteresis {
    // OK -> SOFT only once depth > low + soft_band (SOFT/HARD -> OK stays at depth <= low),
    // so a depth that jitters by less than the band around the low watermark changes nothing.
    std::size_t soft_band = 0;
    // Every level is held at least this long before the controller leaves it, except that
    // entering HARD is never delayed, and neither is leaving it once the queue is empty
    // (the pause has nothing left to protect): it caps the transition rate at one per dwell
    // wherever the providers are not paused in front of idle sinks.
    std::chrono::milliseconds min_dwell{0};
};

// The level after observing `depth` at `current` (the depth rule; the dwell is applied by
// BackpressureController::observe):
//  - HARD when depth >= high (from any level);
//  - OK only when depth <= low (from SOFT or HARD: HARD does not step down to SOFT);
//  - SOFT when low + soft_band < depth < high, from OK; SOFT stays SOFT while
//    low < depth < high, HARD stays HARD, OK stays OK up to low + soft_band.
constexpr Level next_level(Level current, std::size_t depth, Watermarks marks, std::size_t soft_band = 0) {
    if (depth >= marks.high) {
        return Level::hard;
    }
    if (depth <= marks.low) {
        return Level::ok;
    }
    if (current == Level::ok) {
        return depth > marks.low + soft_band ? Level::soft : Level::ok;
    }
    return current;
}

// Watermarks in events from fractions of capacity; high is at least low + 1 and at most
// capacity, so both levels stay reachable for any capacity.
Watermarks watermarks_for(std::size_t capacity, double low_fraction, double high_fraction);

// The SOFT band in events from a fraction of capacity, at most high - low - 1 so that SOFT
// stays reachable below the high watermark.
std::size_t soft_band_for(std::size_t capacity, Watermarks marks, double band_fraction);

}  // namespace mdp::pipeline
