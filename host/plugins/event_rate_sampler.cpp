#include "plugins/event_rate_sampler.hpp"

namespace mdp::plugins {

double EventRateSampler::per_second(std::uint64_t total, std::chrono::steady_clock::time_point now) {
    std::lock_guard lock(mutex_);
    const double elapsed_seconds = std::chrono::duration<double>(now - sample_time_).count();
    if (elapsed_seconds >= 1.0) {
        per_second_ = static_cast<double>(total - sample_total_) / elapsed_seconds;
        sample_total_ = total;
        sample_time_ = now;
    }
    return per_second_;
}

}  // namespace mdp::plugins
