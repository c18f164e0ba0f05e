#pragma once
// A fixed-bucket histogram safe to observe from one thread and read from any other.
// Bucket bounds are upper bounds in the metric's base unit (seconds for durations).

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace mdp::metrics {

struct HistogramSnapshot {
    std::vector<double> upper_bounds;  // ascending, without +Inf
    std::vector<std::uint64_t> cumulative;  // per bound, cumulative; size == upper_bounds.size()
    std::uint64_t count = 0;  // == the +Inf bucket
    double sum = 0.0;
};

class Histogram {
   public:
    explicit Histogram(std::vector<double> upper_bounds);

    // [any-thread, lock-free] Adds one observation.
    void observe(double value) noexcept;
    // [any-thread, lock-free] Adds pre-bucketed observations: counts[i] for bucket i (the last
    // element is the overflow bucket), plus their sum. Used to fold a whole batch at once.
    void observe_bucketed(std::span<const std::uint64_t> counts, double sum) noexcept;
    // Index of the bucket `value` falls in (size() == overflow bucket).
    [[nodiscard]] std::size_t bucket_index(double value) const noexcept;
    [[nodiscard]] std::size_t bucket_count() const noexcept { return upper_bounds_.size() + 1; }

    [[nodiscard]] HistogramSnapshot snapshot() const;

    // Bounds for durations in seconds, 100 µs .. 10 s.
    static std::vector<double> duration_bounds_seconds();
    // Bounds for event latency in seconds: duration_bounds_seconds() plus steps of 25-33 %
    // between 100 µs and 10 ms, where a store that writes at once lands, so p50/p99 read
    // from /metrics to within a step. Every duration bound is kept (old `le` values stay).
    static std::vector<double> event_latency_bounds_seconds();

   private:
    std::vector<double> upper_bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // non-cumulative, size bounds+1
    std::atomic<std::uint64_t> count_{0};
    std::atomic<double> sum_{0.0};
};

}  // namespace mdp::metrics
