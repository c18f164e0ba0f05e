#pragma once
// The status page's memory of the last minutes: a fixed-size ring of samples, each the queue's
// highest depth and backpressure level during one interval and, per provider and per sink, a
// rate computed from the difference of its counter over the measured interval.
//
// Memory is bounded: per sample 24 bytes (time, depth, level); per provider or sink series
// 4 bytes per sample (a float rate; 720 bytes at 180 samples) plus its name and 24 bytes of
// counter baseline. A series is kept while it has a rate in the window, so providers removed
// by a reload leave the charts once their last rate scrolls out, and added ones join with no
// rate for the samples before them.

#include "status/history_snapshot.hpp"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace mdp::app {

// 15 minutes at one sample per 5 s. Five seconds because a chart some 900 px wide shows 180
// points at 5 px each, the depth and level of a sample are already the highest of their
// interval (history_sampler.hpp) so a shorter one would show no spike this misses, and the
// history document stays small (about 20 kB with 10 providers, docs/http-api.md); 2 s would
// send 2.5 times the bytes for lines no one can tell apart.
inline constexpr std::chrono::milliseconds kHistoryInterval{5000};
inline constexpr std::size_t kHistorySamples = 180;

// An ever-growing count at one instant, by series name.
struct CounterReading {
    std::string name;
    std::uint64_t total = 0;
};

// What the sampler reads at the end of one interval.
struct HistoryReading {
    std::int64_t time_ns = 0;  // UTC, for the charts' time axis
    std::chrono::steady_clock::time_point taken_at;  // for the interval the rates divide by
    std::uint64_t queue_depth = 0;  // highest depth since the previous reading
    int level_value = 0;  // highest backpressure level since the previous reading
    std::vector<CounterReading> providers;  // events accepted into the queue, per provider instance
    std::vector<CounterReading> sinks;  // events stored, per sink
};

class HistoryRing {
   public:
    // `max_samples` >= 2; `interval` is the nominal time between readings (reported, not used
    // for rates).
    HistoryRing(std::size_t max_samples, std::chrono::milliseconds interval);

    // [sampler thread] Appends one sample, evicting the oldest when full. Readings must come
    // in time order. The first reading of a series gives it no rate yet (it is the baseline).
    void record(const HistoryReading& reading);
    // [any thread] The samples so far, oldest first (at most max_samples).
    [[nodiscard]] status::HistorySnapshot snapshot() const;

   private:
    struct Point {
        std::int64_t time_ns = 0;
        std::uint64_t queue_depth = 0;
        int level_value = 0;
    };
    struct Series {
        std::string name;
        std::vector<float> per_second;  // indexed like points_; NaN = no rate
        std::optional<std::uint64_t> previous_total;  // none: absent from the previous reading
    };

    // Writes slot `slot` of every series in `series` from `readings`, over `seconds` (none for
    // the first reading), then drops series that have no rate left in the window.
    void record_rates(std::vector<Series>& series, const std::vector<CounterReading>& readings, std::size_t slot,
                      std::optional<double> seconds);
    [[nodiscard]] std::vector<status::RateSeries> unrolled(const std::vector<Series>& series) const;
    // Ring slot of the i-th oldest sample.
    [[nodiscard]] std::size_t slot_of(std::size_t index) const;

    const std::size_t max_samples_;
    const std::chrono::milliseconds interval_;
    mutable std::mutex mutex_;  // guards everything below; record() and snapshot() hold it briefly
    std::vector<Point> points_;  // the ring, max_samples_ slots
    std::size_t next_ = 0;  // slot the next sample goes into
    std::size_t size_ = 0;  // samples held
    std::optional<std::chrono::steady_clock::time_point> previous_taken_at_;
    std::vector<Series> providers_;  // in order of first appearance
    std::vector<Series> sinks_;
};

}  // namespace mdp::app
