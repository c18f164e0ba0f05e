#include "fake_gateway/bar_tape.hpp"

#include <algorithm>
#include <iterator>

namespace mdp::ibkr::fake {

BarTape::BarTape(Clock::time_point origin, std::int64_t origin_epoch_seconds, Clock::duration interval)
    : origin_(origin), origin_epoch_seconds_(origin_epoch_seconds / kBarSeconds * kBarSeconds), interval_(interval) {}

std::int64_t BarTape::index_at(Clock::time_point now) const noexcept {
    if (now < origin_) {
        return 0;
    }
    return static_cast<std::int64_t>((now - origin_) / interval_);
}

void BarTape::record(const std::string& symbol, const RealTimeBar& bar) {
    std::lock_guard lock(mutex_);
    auto& bars = bars_[symbol];
    bars.emplace(bar.time_seconds, bar);
    while (bars.size() > kTapeBarsPerSymbol) {
        bars.erase(bars.begin());
    }
}

std::vector<RealTimeBar> BarTape::window(const std::string& symbol, std::int64_t from_seconds, std::int64_t to_seconds,
                                         Clock::time_point now, double start_price) const {
    // Complete bars only: the one in progress at `now` is not history yet.
    const std::int64_t in_progress = start_seconds(index_at(now));
    const std::int64_t end = std::min(to_seconds, in_progress);
    std::int64_t first = (from_seconds + kBarSeconds - 1) / kBarSeconds * kBarSeconds;
    first = std::max(first, origin_epoch_seconds_);
    std::vector<RealTimeBar> out;
    std::lock_guard lock(mutex_);
    const auto found = bars_.find(symbol);
    const std::map<std::int64_t, RealTimeBar> none;
    const auto& bars = found == bars_.end() ? none : found->second;
    double close = start_price;
    if (const auto before = bars.lower_bound(first); before != bars.begin()) {
        close = std::prev(before)->second.close;
    }
    for (std::int64_t start = first; start < end; start += kBarSeconds) {
        if (const auto streamed = bars.find(start); streamed != bars.end()) {
            out.push_back(streamed->second);
            close = streamed->second.close;
            continue;
        }
        RealTimeBar flat;
        flat.time_seconds = start;
        flat.open = flat.high = flat.low = flat.close = flat.wap = close;
        flat.volume = 0.0;
        flat.count = 0;
        out.push_back(flat);
    }
    return out;
}

}  // namespace mdp::ibkr::fake
