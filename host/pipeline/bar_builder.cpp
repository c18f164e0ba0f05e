#include "pipeline/bar_builder.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace mdp::pipeline {

namespace {

constexpr std::int64_t kNanosecondsPerMillisecond = 1'000'000;
// The flags a bar inherits from its ticks.
constexpr std::uint16_t kInheritedFlags = MDP_EVENT_FLAG_DELAYED | MDP_EVENT_FLAG_REPLAYED;

// floor(time_ns / interval_ns) * interval_ns, also before the epoch.
std::int64_t interval_start(std::int64_t time_ns, std::int64_t interval_ns) {
    std::int64_t quotient = time_ns / interval_ns;
    if (time_ns % interval_ns != 0 && time_ns < 0) {
        --quotient;
    }
    return quotient * interval_ns;
}

std::string_view symbol_of(const mdp_event_t& event) {
    // The publish path terminates the stored copy; the provider's record may fill the array.
    return {event.symbol, ::strnlen(event.symbol, MDP_SYMBOL_CAPACITY - 1)};
}

}  // namespace

BarBuilder::BarBuilder(config::BarsConfig config)
    : config_(std::move(config)), grace_ns_(config_.grace_ms * kNanosecondsPerMillisecond) {}

TickOutcome BarBuilder::tick_of(const mdp_event_t& event, Tick& tick) const {
    tick.time_ns = event.event_time_ns;
    tick.flags = event.flags & kInheritedFlags;
    if (config_.source == config::BarSource::trades) {
        if (event.type != MDP_EVENT_TRADE) {
            return TickOutcome::not_a_tick;
        }
        tick.price = event.body.trade.price;
        tick.size = event.body.trade.size;
        const bool usable = std::isfinite(tick.price) && std::isfinite(tick.size) && tick.size >= 0.0;
        return usable ? TickOutcome::aggregated : TickOutcome::unpriced;
    }
    if (event.type != MDP_EVENT_QUOTE) {
        return TickOutcome::not_a_tick;
    }
    const double bid = event.body.quote.bid;
    const double ask = event.body.quote.ask;
    tick.price = (bid + ask) / 2.0;
    tick.size = 0.0;
    return std::isfinite(tick.price) ? TickOutcome::aggregated : TickOutcome::unpriced;
}

std::pair<const std::string, BarBuilder::SymbolBars>& BarBuilder::entry_of(std::string_view symbol) {
    if (const auto found = symbols_.find(symbol); found != symbols_.end()) {
        return *found;
    }
    return *symbols_.emplace(std::string(symbol), SymbolBars(config_.intervals_ns.size())).first;
}

TickOutcome BarBuilder::add(const mdp_event_t& event, std::int64_t now_ns, ClosedBars& closed) {
    Tick tick;
    const TickOutcome outcome = tick_of(event, tick);
    if (outcome != TickOutcome::aggregated) {
        return outcome;
    }
    if (tick.time_ns > now_ns && tick.time_ns - now_ns > future_tolerance_ns()) {
        return TickOutcome::future;
    }
    auto& [symbol, bars] = entry_of(symbol_of(event));
    bool late = false;
    for (std::size_t index = 0; index < bars.size(); ++index) {
        late |= !merge(bars[index], config_.intervals_ns[index], tick, symbol, now_ns, closed);
    }
    return late ? TickOutcome::late : TickOutcome::aggregated;
}

bool BarBuilder::merge(OpenBar& bar, std::int64_t interval_ns, const Tick& tick, std::string_view symbol,
                       std::int64_t now_ns, ClosedBars& closed) {
    if (bar.open && now_ns >= due_ns(bar, interval_ns)) {
        close(bar, interval_ns, symbol, now_ns, closed);  // what the timer would have done by now
    }
    const std::int64_t start_ns = interval_start(tick.time_ns, interval_ns);
    const bool interval_closed = now_ns >= start_ns + interval_ns + grace_ns_ || start_ns <= bar.closed_through_ns ||
                                 (bar.open && start_ns < bar.start_ns);
    if (interval_closed) {
        return false;
    }
    if (bar.open && start_ns > bar.start_ns) {
        close(bar, interval_ns, symbol, now_ns, closed);  // the symbol moved on to a later interval
    }
    if (!bar.open) {
        open(bar, start_ns, tick);
        next_due_ns_ = std::min(next_due_ns_, due_ns(bar, interval_ns));
        return true;
    }
    bar.high = std::max(bar.high, tick.price);
    bar.low = std::min(bar.low, tick.price);
    bar.close = tick.price;
    bar.volume += tick.size;
    bar.notional += tick.price * tick.size;
    bar.trade_count += 1;
    bar.flags |= tick.flags;
    return true;
}

void BarBuilder::open(OpenBar& bar, std::int64_t start_ns, const Tick& tick) {
    bar.open = true;
    bar.start_ns = start_ns;
    bar.open_price = bar.high = bar.low = bar.close = tick.price;
    bar.volume = tick.size;
    bar.notional = tick.price * tick.size;
    bar.trade_count = 1;
    bar.flags = tick.flags;
}

void BarBuilder::close(OpenBar& bar, std::int64_t interval_ns, std::string_view symbol, std::int64_t now_ns,
                       ClosedBars& closed) const {
    mdp_event_t event{};
    event.size = sizeof(mdp_event_t);
    event.type = MDP_EVENT_BAR;
    event.flags = bar.flags;
    event.event_time_ns = bar.start_ns;
    event.receive_time_ns = now_ns;
    std::memcpy(event.symbol, symbol.data(), std::min(symbol.size(), std::size_t{MDP_SYMBOL_CAPACITY - 1}));
    mdp_bar_t& out = event.body.bar;
    out.interval_ns = interval_ns;
    out.open = bar.open_price;
    out.high = bar.high;
    out.low = bar.low;
    out.close = bar.close;
    const bool trades = config_.source == config::BarSource::trades;
    out.volume = bar.volume;
    out.vwap = bar.volume > 0.0 ? bar.notional / bar.volume : std::numeric_limits<double>::quiet_NaN();
    out.trade_count = trades ? bar.trade_count : 0;
    closed.push_back(event);
    bar.open = false;
    bar.closed_through_ns = bar.start_ns;
}

void BarBuilder::close_due(std::int64_t now_ns, ClosedBars& closed) {
    if (now_ns < next_due_ns_) {
        return;
    }
    next_due_ns_ = kNothingDue;
    for (auto& [symbol, bars] : symbols_) {
        for (std::size_t index = 0; index < bars.size(); ++index) {
            OpenBar& bar = bars[index];
            if (!bar.open) {
                continue;
            }
            const std::int64_t interval_ns = config_.intervals_ns[index];
            if (now_ns >= due_ns(bar, interval_ns)) {
                close(bar, interval_ns, symbol, now_ns, closed);
            } else {
                next_due_ns_ = std::min(next_due_ns_, due_ns(bar, interval_ns));
            }
        }
    }
}

void BarBuilder::flush(std::int64_t now_ns, ClosedBars& closed) {
    for (auto& [symbol, bars] : symbols_) {
        for (std::size_t index = 0; index < bars.size(); ++index) {
            if (bars[index].open) {
                close(bars[index], config_.intervals_ns[index], symbol, now_ns, closed);
            }
        }
    }
    next_due_ns_ = kNothingDue;
}

}  // namespace mdp::pipeline
