#include "pipeline/rate_control.hpp"

#include <algorithm>

namespace mdp::pipeline {

RateControl::RateControl(const config::BackpressureConfig& config)
    : feedback_enabled_(config.feedback_enabled), scales_(config.scales), recovery_ramp_(config.recovery_ramp_ms) {}

void RateControl::add_receiver(RateReceiver* receiver, ScaleOverrides overrides) {
    std::lock_guard lock(mutex_);
    receivers_.push_back(Receiver{receiver, overrides});
    // The current level's scale applies from the start, not only after the next transition.
    receiver->apply_feedback(level_, feedback_enabled_ ? scale_for(level_, overrides) : 1.0, last_queue_size_,
                             capacity_, false);
}

double RateControl::scale_for(Level level, const ScaleOverrides& overrides) const {
    switch (level) {
        case Level::ok:
            return overrides.ok.value_or(scales_.ok);
        case Level::soft:
            return overrides.soft.value_or(scales_.soft);
        case Level::hard:
            return overrides.hard.value_or(scales_.hard);
    }
    return scales_.ok;
}

void RateControl::on_feedback(const status::FeedbackEvent& event) {
    std::lock_guard lock(mutex_);
    level_ = static_cast<Level>(event.level_value);
    last_queue_size_ = event.queue_size;
    capacity_ = event.capacity;
    const auto now = std::chrono::steady_clock::now();
    for (auto& entry : receivers_) {
        if (!feedback_enabled_) {
            entry.receiver->apply_feedback(level_, 1.0, event.queue_size, event.capacity, false);
            continue;
        }
        const double target = scale_for(level_, entry.overrides);
        const double current = entry.receiver->current_rate_scale();
        entry.ramping = level_ == Level::ok && recovery_ramp_.count() > 0 && current < target;
        if (entry.ramping) {
            entry.ramp_from = current;
            entry.ramp_start = now;
            // The OK event is delivered now (at the current scale); the ramp raises it.
            entry.receiver->apply_feedback(level_, current, event.queue_size, event.capacity, true);
        } else {
            entry.receiver->apply_feedback(level_, target, event.queue_size, event.capacity, true);
        }
    }
}

void RateControl::on_tick(std::chrono::steady_clock::time_point now) {
    std::lock_guard lock(mutex_);
    for (auto& entry : receivers_) {
        if (!entry.ramping) {
            continue;
        }
        const double target = scale_for(Level::ok, entry.overrides);
        const double progress =
            std::chrono::duration<double>(now - entry.ramp_start) / std::chrono::duration<double>(recovery_ramp_);
        const double scale = entry.ramp_from + (target - entry.ramp_from) * std::min(progress, 1.0);
        entry.ramping = progress < 1.0;
        entry.receiver->apply_feedback(Level::ok, scale, last_queue_size_, capacity_, true);
    }
}

}  // namespace mdp::pipeline
