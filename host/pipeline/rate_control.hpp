#pragma once
// Turns backpressure levels into per-provider rate scales (ok 1.0 / soft 0.5 / hard 0.0 by
// default, overridable per provider) and delivers them. With feedback disabled every scale
// stays 1.0 while the level is still recorded for metrics. After a return to OK the scale can
// ramp up linearly over `recovery_ramp_ms`, so a drained queue does not refill at once.

#include "config/host_config.hpp"
#include "status/feedback_event.hpp"
#include "pipeline/rate_receiver.hpp"

#include <chrono>
#include <mutex>
#include <optional>
#include <vector>

namespace mdp::pipeline {

struct ScaleOverrides {
    std::optional<double> ok;
    std::optional<double> soft;
    std::optional<double> hard;
};

// A provider entry's `rate_scale` overrides.
inline ScaleOverrides overrides_of(const config::ProviderConfig& provider) {
    return {provider.scale_ok, provider.scale_soft, provider.scale_hard};
}

class RateControl {
   public:
    explicit RateControl(const config::BackpressureConfig& config);

    // [control-thread] Also while feedback runs (a provider added by a reload): the receiver
    // gets the scale of the current level at once.
    void add_receiver(RateReceiver* receiver, ScaleOverrides overrides);

    // [feedback-thread] A level transition.
    void on_feedback(const status::FeedbackEvent& event);
    // [feedback-thread] Periodic: advances recovery ramps.
    void on_tick(std::chrono::steady_clock::time_point now);

    // The configured scale for `level`, with `overrides` taking precedence.
    [[nodiscard]] double scale_for(Level level, const ScaleOverrides& overrides) const;

   private:
    struct Receiver {
        RateReceiver* receiver = nullptr;
        ScaleOverrides overrides;
        bool ramping = false;
        double ramp_from = 1.0;
        std::chrono::steady_clock::time_point ramp_start{};
    };

    const bool feedback_enabled_;
    const config::LevelScales scales_;
    const std::chrono::milliseconds recovery_ramp_;
    std::mutex mutex_;  // receivers_ grows on the control thread while the feedback thread reads
    std::vector<Receiver> receivers_;
    Level level_ = Level::ok;
    std::size_t last_queue_size_ = 0;
    std::size_t capacity_ = 0;
};

}  // namespace mdp::pipeline
