#include "pipeline/backpressure_level.hpp"

#include <algorithm>
#include <cmath>

namespace mdp::pipeline {

Watermarks watermarks_for(std::size_t capacity, double low_fraction, double high_fraction) {
    const auto scaled = [capacity](double fraction) {
        return static_cast<std::size_t>(std::llround(static_cast<double>(capacity) * fraction));
    };
    Watermarks marks;
    marks.high = std::clamp<std::size_t>(scaled(high_fraction), 1, capacity);
    marks.low = std::min(scaled(low_fraction), marks.high - 1);
    return marks;
}

std::size_t soft_band_for(std::size_t capacity, Watermarks marks, double band_fraction) {
    const auto band = static_cast<std::size_t>(std::llround(static_cast<double>(capacity) * band_fraction));
    const std::size_t room = marks.high - marks.low;  // >= 1 (watermarks_for)
    return std::min(band, room - 1);
}

}  // namespace mdp::pipeline
