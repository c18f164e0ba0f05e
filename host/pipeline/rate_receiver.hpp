#pragma once
// What rate control needs from a provider instance: the interface keeps the pipeline
// independent of how providers are loaded.

#include "pipeline/backpressure_level.hpp"

#include <cstddef>

namespace mdp::pipeline {

class RateReceiver {
   public:
    virtual ~RateReceiver() = default;

    [[nodiscard]] virtual double current_rate_scale() const = 0;

    // [feedback-thread, must not block] Records the level and scale; when `notify` is true
    // also tells the provider (its on_feedback) and counts the feedback event as applied.
    virtual void apply_feedback(Level level, double rate_scale, std::size_t queue_size, std::size_t capacity,
                                bool notify) = 0;
};

}  // namespace mdp::pipeline
