#include "bar_aggregator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mdp::synthetic {

BarAggregator::BarAggregator(std::int64_t interval_ns) noexcept : interval_ns_(interval_ns) {}

std::int64_t BarAggregator::interval_start(std::int64_t time_ns) const noexcept {
    // Floor division, correct for times before the epoch too.
    std::int64_t quotient = time_ns / interval_ns_;
    if (time_ns % interval_ns_ != 0 && time_ns < 0) {
        --quotient;
    }
    return quotient * interval_ns_;
}

void BarAggregator::open(std::int64_t start_time_ns, double price, double size) noexcept {
    start_time_ns_ = start_time_ns;
    open_ = high_ = low_ = close_ = price;
    volume_ = size;
    notional_ = price * size;
    trade_count_ = 1;
}

ClosedBar BarAggregator::close() noexcept {
    ClosedBar closed;
    closed.start_time_ns = start_time_ns_;
    closed.bar.interval_ns = interval_ns_;
    closed.bar.open = open_;
    closed.bar.high = high_;
    closed.bar.low = low_;
    closed.bar.close = close_;
    closed.bar.volume = volume_;
    closed.bar.vwap = volume_ > 0.0 ? notional_ / volume_ : std::numeric_limits<double>::quiet_NaN();
    closed.bar.trade_count = trade_count_;
    trade_count_ = 0;
    return closed;
}

std::optional<ClosedBar> BarAggregator::add_trade(std::int64_t time_ns, double price, double size) noexcept {
    const std::int64_t start = interval_start(time_ns);
    if (trade_count_ == 0) {
        open(start, price, size);
        return std::nullopt;
    }
    if (start > start_time_ns_) {
        ClosedBar closed = close();
        open(start, price, size);
        return closed;
    }
    high_ = std::max(high_, price);
    low_ = std::min(low_, price);
    close_ = price;
    volume_ += size;
    notional_ += price * size;
    ++trade_count_;
    return std::nullopt;
}

std::optional<ClosedBar> BarAggregator::close_if_due(std::int64_t now_ns) noexcept {
    if (trade_count_ == 0 || now_ns < start_time_ns_ + interval_ns_) {
        return std::nullopt;
    }
    return close();
}

}  // namespace mdp::synthetic
