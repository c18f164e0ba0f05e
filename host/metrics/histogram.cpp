#include "metrics/histogram.hpp"

#include <algorithm>

namespace mdp::metrics {

Histogram::Histogram(std::vector<double> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(upper_bounds_.size() + 1)) {
    std::sort(upper_bounds_.begin(), upper_bounds_.end());
}

std::size_t Histogram::bucket_index(double value) const noexcept {
    return static_cast<std::size_t>(std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value) -
                                    upper_bounds_.begin());
}

void Histogram::observe(double value) noexcept {
    buckets_[bucket_index(value)].fetch_add(1, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(value, std::memory_order_relaxed);
}

void Histogram::observe_bucketed(std::span<const std::uint64_t> counts, double sum) noexcept {
    std::uint64_t total = 0;
    for (std::size_t index = 0; index < counts.size() && index < bucket_count(); ++index) {
        if (counts[index] != 0) {
            buckets_[index].fetch_add(counts[index], std::memory_order_relaxed);
            total += counts[index];
        }
    }
    count_.fetch_add(total, std::memory_order_relaxed);
    sum_.fetch_add(sum, std::memory_order_relaxed);
}

HistogramSnapshot Histogram::snapshot() const {
    HistogramSnapshot result;
    result.upper_bounds = upper_bounds_;
    std::uint64_t running = 0;
    for (std::size_t index = 0; index < upper_bounds_.size(); ++index) {
        running += buckets_[index].load(std::memory_order_relaxed);
        result.cumulative.push_back(running);
    }
    running += buckets_[upper_bounds_.size()].load(std::memory_order_relaxed);
    // The +Inf bucket must equal _count: derive count from the buckets read, not count_.
    result.count = running;
    result.sum = sum_.load(std::memory_order_relaxed);
    return result;
}

std::vector<double> Histogram::duration_bounds_seconds() {
    return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0};
}

std::vector<double> Histogram::event_latency_bounds_seconds() {
    return {0.0001, 0.000125, 0.00015, 0.0002, 0.00025, 0.0003, 0.0004, 0.0005, 0.0006, 0.00075,
            0.001,  0.00125,  0.0015,  0.002,  0.0025,  0.003,  0.004,  0.005,  0.006,  0.0075,
            0.01,   0.025,    0.05,    0.1,    0.25,    0.5,    1.0,    2.5,    5.0,    10.0};
}

}  // namespace mdp::metrics
