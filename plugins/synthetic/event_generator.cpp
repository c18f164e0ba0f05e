#include "event_generator.hpp"

#include <mdp/plugin.hpp>

#include <algorithm>

namespace mdp::synthetic {

EventGenerator::EventGenerator(const GeneratorSettings& settings)
    : random_(settings.seed), trade_ratio_(settings.trade_ratio) {
    instruments_.reserve(settings.symbols.size());
    for (std::size_t index = 0; index < settings.symbols.size(); ++index) {
        const std::optional<std::int64_t> pause =
            index < settings.pause_after_ns.size() ? settings.pause_after_ns[index] : std::nullopt;
        const std::string& symbol = settings.symbols[index];
        Instrument instrument{
            symbol, RandomWalk(settings.start_price, settings.volatility), {},
            pause,  sdk::make_quote(symbol, 0, 0, mdp_quote_t{}),          sdk::make_trade(symbol, 0, 0, 0.0, 0.0)};
        for (const std::int64_t interval_ns : settings.bar_intervals_ns) {
            instrument.bars.emplace_back(interval_ns);
        }
        instruments_.push_back(std::move(instrument));
    }
    batch_.resize(std::max<std::uint32_t>(settings.batch_capacity, 1));
    // Each aggregator holds at most one open bar; twice that covers bars closed by trades
    // while the previous round still waits for room, so the list normally never grows.
    pending_bars_.reserve(2 * settings.symbols.size() * settings.bar_intervals_ns.size() + 1);
}

void EventGenerator::close_due_bars(std::int64_t now_ns) {
    for (std::size_t index = 0; index < instruments_.size(); ++index) {
        for (auto& aggregator : instruments_[index].bars) {
            if (auto closed = aggregator.close_if_due(now_ns)) {
                pending_bars_.push_back({index, *closed});
            }
        }
    }
}

void EventGenerator::append_pending_bars(std::int64_t now_ns, std::uint32_t count) {
    while (size_ < count && pending_head_ < pending_bars_.size()) {
        const PendingBar& pending = pending_bars_[pending_head_++];
        append(sdk::make_bar(instruments_[pending.instrument].symbol, pending.closed.start_time_ns, now_ns,
                             pending.closed.bar));
        ++counts_.bars;
    }
    if (pending_head_ == pending_bars_.size()) {
        pending_bars_.clear();
        pending_head_ = 0;
    }
}

std::size_t EventGenerator::next_publishing_instrument(std::int64_t now_ns) {
    for (std::size_t tried = 0; tried < instruments_.size(); ++tried) {
        const std::size_t index = next_instrument_;
        next_instrument_ = (next_instrument_ + 1) % instruments_.size();
        const auto& pause = instruments_[index].pause_after_ns;
        if (!pause || now_ns - first_fill_ns_ < *pause) {
            return index;
        }
    }
    return next_instrument_;  // unreachable while one symbol never pauses (the config ensures it)
}

void EventGenerator::append_market_event(std::int64_t now_ns) {
    const std::size_t instrument_index = next_publishing_instrument(now_ns);
    Instrument& instrument = instruments_[instrument_index];

    if (random_.uniform() >= trade_ratio_) {
        const QuoteDraw draw = instrument.walk.next_quote(random_);
        mdp_event_t& event = next_slot();
        event = instrument.quote_prototype;
        event.event_time_ns = now_ns;
        event.receive_time_ns = now_ns;
        event.body.quote = {draw.bid, draw.ask, draw.bid_size, draw.ask_size, draw.last};
        ++counts_.quotes;
        return;
    }
    const TradeDraw trade = instrument.walk.next_trade(random_);
    mdp_event_t& event = next_slot();
    event = instrument.trade_prototype;
    event.event_time_ns = now_ns;
    event.receive_time_ns = now_ns;
    event.body.trade.price = trade.price;
    event.body.trade.size = trade.size;
    sdk::copy_fixed(event.body.trade.exchange, trade.exchange);
    sdk::copy_fixed(event.body.trade.conditions, trade.conditions);
    ++counts_.trades;
    for (auto& aggregator : instrument.bars) {
        if (auto closed = aggregator.add_trade(now_ns, trade.price, trade.size)) {
            pending_bars_.push_back({instrument_index, *closed});
        }
    }
}

std::span<const mdp_event_t> EventGenerator::fill(std::int64_t now_ns, std::uint32_t count) {
    count = std::min<std::uint32_t>(count, static_cast<std::uint32_t>(batch_.size()));
    size_ = 0;
    if (first_fill_ns_ == 0) {
        first_fill_ns_ = now_ns;
    }
    close_due_bars(now_ns);
    while (size_ < count) {
        append_pending_bars(now_ns, count);
        if (size_ < count) {
            append_market_event(now_ns);
        }
    }
    return {batch_.data(), size_};
}

}  // namespace mdp::synthetic
