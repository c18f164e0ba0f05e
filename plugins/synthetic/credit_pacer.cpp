#include "credit_pacer.hpp"

#include <algorithm>
#include <cmath>

namespace mdp::synthetic {

namespace {

constexpr double kNanosecondsPerSecond = 1e9;
// Target wake-up granularity: at high rates batches collect ~5 ms of events.
constexpr double kWorthwhileBatchSeconds = 0.005;

double clamp_scale(double scale) noexcept {
    if (!(scale > 0.0)) {  // also catches NaN
        return 0.0;
    }
    return std::min(scale, 1.0);
}

}  // namespace

CreditPacer::CreditPacer(double events_per_second, double burst_seconds) noexcept
    : events_per_second_(events_per_second), max_credit_(std::max(1.0, events_per_second * burst_seconds)) {}

void CreditPacer::accrue(std::int64_t now_ns, double scale) noexcept {
    if (last_ns_ && now_ns > *last_ns_) {
        const double elapsed_seconds = static_cast<double>(now_ns - *last_ns_) / kNanosecondsPerSecond;
        credit_ = std::min(max_credit_, credit_ + elapsed_seconds * events_per_second_ * clamp_scale(scale));
    }
    if (!last_ns_ || now_ns > *last_ns_) {
        last_ns_ = now_ns;
    }
}

std::uint64_t CreditPacer::available() const noexcept { return static_cast<std::uint64_t>(std::floor(credit_)); }

void CreditPacer::spend(std::uint64_t events) noexcept {
    credit_ = std::max(0.0, credit_ - static_cast<double>(events));
}

std::uint64_t CreditPacer::worthwhile_batch(double scale, std::uint64_t max_batch) const noexcept {
    const double events = std::floor(events_per_second_ * clamp_scale(scale) * kWorthwhileBatchSeconds);
    const auto capped = static_cast<std::uint64_t>(std::min(events, static_cast<double>(max_batch)));
    // Never wait for more credit than can accumulate.
    const auto reachable = static_cast<std::uint64_t>(std::floor(max_credit_));
    return std::max<std::uint64_t>(1, std::min(capped, reachable));
}

std::optional<std::int64_t> CreditPacer::time_until(std::uint64_t events, double scale) const noexcept {
    const double missing = static_cast<double>(events) - credit_;
    if (missing <= 0.0) {
        return 0;
    }
    const double effective_rate = events_per_second_ * clamp_scale(scale);
    if (effective_rate <= 0.0) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(std::ceil(missing / effective_rate * kNanosecondsPerSecond));
}

}  // namespace mdp::synthetic
