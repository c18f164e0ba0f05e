#pragma once
// The host's recent history for the status page's charts (GET /api/v1/history): a fixed
// number of samples, oldest first, each the end of one measured interval. Built by app/
// (app/history_ring.hpp) on the caller's thread; plain values, read by http/.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mdp::status {

// One chart line: a per-second rate at each sample, aligned with HistorySnapshot::time_ns.
// NaN where there is no rate: the series did not exist at that sample or the one before,
// or its counter went backwards (a new instance under the same name).
struct RateSeries {
    std::string name;  // provider instance or sink name, as configured
    std::vector<double> per_second;
};

struct HistorySnapshot {
    double interval_seconds = 0.0;  // the nominal sampling interval; rates use the measured one
    std::size_t max_samples = 0;  // the ring's size: interval_seconds * max_samples is the window
    std::int64_t now_ns = 0;  // UTC ns when this snapshot was taken
    // The queue the depths are measured against (fixed for a run: they cannot change live).
    std::uint64_t queue_capacity = 0;
    std::uint64_t low_watermark = 0;  // events
    std::uint64_t high_watermark = 0;  // events
    std::vector<std::int64_t> time_ns;  // UTC ns at the end of each interval, oldest first
    std::vector<std::uint64_t> queue_depth;  // the highest depth seen during each interval
    std::vector<int> level_value;  // the highest backpressure level during each interval (0 ok, 1 soft, 2 hard)
    std::vector<RateSeries> providers;  // events accepted into the queue per second, per provider instance
    std::vector<RateSeries> sinks;  // events stored per second, per sink
};

}  // namespace mdp::status
