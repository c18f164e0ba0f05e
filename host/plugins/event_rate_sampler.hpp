#pragma once
// Turns an ever-growing event count into events per second for the status page.

#include <chrono>
#include <cstdint>
#include <mutex>

namespace mdp::plugins {

// [any-thread] The rate over the last window of at least one second: a reading re-samples only
// when a second has passed since the last sample, so frequent readers do not shorten the
// window (and a reading in between returns the previous rate).
class EventRateSampler {
   public:
    EventRateSampler() : sample_time_(std::chrono::steady_clock::now()) {}

    // `total` is the count now (never less than at the previous call); `now` the time of it.
    double per_second(std::uint64_t total, std::chrono::steady_clock::time_point now);

   private:
    std::mutex mutex_;  // guards the three fields below
    std::uint64_t sample_total_ = 0;
    std::chrono::steady_clock::time_point sample_time_;
    double per_second_ = 0.0;
};

}  // namespace mdp::plugins
