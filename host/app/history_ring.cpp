#include "app/history_ring.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace mdp::app {
namespace {

constexpr float kNoRate = std::numeric_limits<float>::quiet_NaN();

// The counter's rate over `seconds`, or NaN when there is no previous count to compare with,
// no positive interval, or the count went backwards (a new instance under the same name).
float rate_between(std::optional<std::uint64_t> previous_total, std::uint64_t total, std::optional<double> seconds) {
    if (!previous_total || !seconds || *seconds <= 0.0 || total < *previous_total) {
        return kNoRate;
    }
    return static_cast<float>(static_cast<double>(total - *previous_total) / *seconds);
}

const CounterReading* find_reading(const std::vector<CounterReading>& readings, const std::string& name) {
    const auto found =
        std::find_if(readings.begin(), readings.end(), [&](const CounterReading& r) { return r.name == name; });
    return found == readings.end() ? nullptr : &*found;
}

}  // namespace

HistoryRing::HistoryRing(std::size_t max_samples, std::chrono::milliseconds interval)
    : max_samples_(max_samples), interval_(interval), points_(max_samples) {
    if (max_samples < 2) {
        throw std::invalid_argument("HistoryRing: max_samples must be at least 2");
    }
}

void HistoryRing::record(const HistoryReading& reading) {
    const std::lock_guard lock(mutex_);
    std::optional<double> seconds;
    if (previous_taken_at_) {
        seconds = std::chrono::duration<double>(reading.taken_at - *previous_taken_at_).count();
    }
    previous_taken_at_ = reading.taken_at;
    const std::size_t slot = next_;
    points_[slot] = {reading.time_ns, reading.queue_depth, reading.level_value};
    next_ = (next_ + 1) % max_samples_;
    size_ = std::min(size_ + 1, max_samples_);
    record_rates(providers_, reading.providers, slot, seconds);
    record_rates(sinks_, reading.sinks, slot, seconds);
}

void HistoryRing::record_rates(std::vector<Series>& series, const std::vector<CounterReading>& readings,
                               std::size_t slot, std::optional<double> seconds) {
    for (const CounterReading& reading : readings) {
        const bool known =
            std::any_of(series.begin(), series.end(), [&](const Series& s) { return s.name == reading.name; });
        if (!known) {
            series.push_back({reading.name, std::vector<float>(max_samples_, kNoRate), std::nullopt});
        }
    }
    for (Series& one : series) {
        const CounterReading* reading = find_reading(readings, one.name);
        one.per_second[slot] = reading ? rate_between(one.previous_total, reading->total, seconds) : kNoRate;
        one.previous_total = reading ? std::optional(reading->total) : std::nullopt;
    }
    // A series still read is kept even without a rate (it just appeared); one no longer read
    // goes when its last rate has left the window.
    std::erase_if(series, [](const Series& one) {
        return !one.previous_total &&
               std::all_of(one.per_second.begin(), one.per_second.end(), [](float rate) { return std::isnan(rate); });
    });
}

std::size_t HistoryRing::slot_of(std::size_t index) const {
    return (next_ + max_samples_ - size_ + index) % max_samples_;
}

std::vector<status::RateSeries> HistoryRing::unrolled(const std::vector<Series>& series) const {
    std::vector<status::RateSeries> result;
    result.reserve(series.size());
    for (const Series& one : series) {
        status::RateSeries line{one.name, {}};
        line.per_second.reserve(size_);
        for (std::size_t index = 0; index < size_; ++index) {
            line.per_second.push_back(one.per_second[slot_of(index)]);
        }
        result.push_back(std::move(line));
    }
    return result;
}

status::HistorySnapshot HistoryRing::snapshot() const {
    const std::lock_guard lock(mutex_);
    status::HistorySnapshot result;
    result.interval_seconds = std::chrono::duration<double>(interval_).count();
    result.max_samples = max_samples_;
    for (std::size_t index = 0; index < size_; ++index) {
        const Point& point = points_[slot_of(index)];
        result.time_ns.push_back(point.time_ns);
        result.queue_depth.push_back(point.queue_depth);
        result.level_value.push_back(point.level_value);
    }
    result.providers = unrolled(providers_);
    result.sinks = unrolled(sinks_);
    return result;
}

}  // namespace mdp::app
