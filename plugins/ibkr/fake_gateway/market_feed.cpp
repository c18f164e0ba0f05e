#include "fake_gateway/market_feed.hpp"

#include "codec/server_message_codec.hpp"
#include "codec/tick_types.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace mdp::ibkr::fake {

namespace {

double cents(double price) { return std::round(price * 100.0) / 100.0; }

std::string rt_volume_text(double price, double size, std::int64_t time_ms, double total_volume, double vwap) {
    std::string text;
    append_double(text, price, DoubleStyle::price);
    text += ';';
    append_double(text, size, DoubleStyle::shortest);
    text += ';';
    append_integer(text, time_ms);
    text += ';';
    append_double(text, total_volume, DoubleStyle::shortest);
    text += ';';
    append_double(text, vwap, DoubleStyle::shortest);
    text += ";true";
    return text;
}

}  // namespace

double start_price(const std::string& symbol) {
    return 20.0 + static_cast<double>(std::hash<std::string>{}(symbol) % 48000) / 100.0;
}

RandomWalkFeed::Walk& RandomWalkFeed::walk_for(const std::string& symbol) {
    auto found = walks_.find(symbol);
    if (found == walks_.end()) {
        Walk walk;
        walk.mid = start_price(symbol);
        walk.bar_open = walk.bar_high = walk.bar_low = walk.mid;
        found = walks_.emplace(symbol, walk).first;
    }
    return found->second;
}

void RandomWalkFeed::step(std::string& out, int request_id, const std::string& symbol, bool delayed, int server_version,
                          std::int64_t now_ms) {
    Walk& walk = walk_for(symbol);
    std::normal_distribution<double> move(0.0, 0.02);
    std::uniform_real_distribution<double> choice(0.0, 1.0);
    std::uniform_int_distribution<int> lots(1, 10);
    walk.mid = std::max(0.05, walk.mid + move(random_));
    const double bid = cents(walk.mid - 0.01);
    const double ask = cents(walk.mid + 0.01);
    walk.bar_high = std::max(walk.bar_high, walk.mid);
    walk.bar_low = std::min(walk.bar_low, walk.mid);

    const double roll = choice(random_);
    const auto tick_type = [delayed](int live, int delayed_type) { return delayed ? delayed_type : live; };
    if (roll < 0.4) {
        const double size = lots(random_) * 100.0;
        encode(out, TickPrice{request_id, tick_type(tick::kBid, tick::kDelayedBid), bid, size, 0}, server_version);
        encode(out, TickSize{request_id, tick_type(tick::kBidSize, tick::kDelayedBidSize), size}, server_version);
    } else if (roll < 0.8) {
        const double size = lots(random_) * 100.0;
        encode(out, TickPrice{request_id, tick_type(tick::kAsk, tick::kDelayedAsk), ask, size, 0}, server_version);
        encode(out, TickSize{request_id, tick_type(tick::kAskSize, tick::kDelayedAskSize), size}, server_version);
    } else {
        const double price = choice(random_) < 0.5 ? bid : ask;
        const double size = lots(random_) * 10.0;
        walk.total_volume += size;
        walk.bar_volume += size;
        walk.bar_notional += price * size;
        ++walk.bar_count;
        encode(out, TickPrice{request_id, tick_type(tick::kLast, tick::kDelayedLast), price, size, 0}, server_version);
        encode(out, TickSize{request_id, tick_type(tick::kLastSize, tick::kDelayedLastSize), size}, server_version);
        if (!delayed) {
            const double vwap = walk.bar_volume > 0 ? walk.bar_notional / walk.bar_volume : price;
            encode(
                out,
                TickString{request_id, tick::kRtVolume, rt_volume_text(price, size, now_ms, walk.total_volume, vwap)},
                server_version);
        }
        encode(out,
               TickString{request_id, tick_type(tick::kLastTimestamp, tick::kDelayedLastTimestamp),
                          std::to_string(now_ms / 1000)},
               server_version);
    }
}

RealTimeBar RandomWalkFeed::take_bar(int request_id, const std::string& symbol, std::int64_t time_seconds) {
    Walk& walk = walk_for(symbol);
    RealTimeBar message;
    message.request_id = request_id;
    message.time_seconds = time_seconds;
    message.open = cents(walk.bar_open);
    message.high = cents(walk.bar_high);
    message.low = cents(walk.bar_low);
    message.close = cents(walk.mid);
    message.volume = walk.bar_volume;
    message.wap = walk.bar_volume > 0 ? cents(walk.bar_notional / walk.bar_volume) : cents(walk.mid);
    message.count = walk.bar_count;
    walk.bar_open = walk.bar_high = walk.bar_low = walk.mid;
    walk.bar_volume = walk.bar_notional = 0.0;
    walk.bar_count = 0;
    return message;
}

std::string encode_blast_cycle(std::span<const int> request_ids, std::size_t messages, int server_version) {
    std::string out;
    if (request_ids.empty()) {
        return out;
    }
    out.reserve(messages * 32);
    const std::size_t symbols = request_ids.size();
    for (std::size_t index = 0; index < messages; ++index) {
        const int request_id = request_ids[index % symbols];
        const std::size_t round = index / symbols;
        // Prices and sizes move with the round so consecutive updates of one symbol differ.
        const double price = 100.0 + static_cast<double>(round % 997) * 0.01;
        const double size = 100.0 + static_cast<double>(round % 89);
        switch (round % 6) {
            case 0:
                encode(out, TickPrice{request_id, tick::kBid, price, size, 0}, server_version);
                break;
            case 1:
                encode(out, TickSize{request_id, tick::kBidSize, size + 1.0}, server_version);
                break;
            case 2:
                encode(out, TickPrice{request_id, tick::kAsk, price + 0.02, size, 0}, server_version);
                break;
            case 3:
                encode(out, TickSize{request_id, tick::kAskSize, size + 1.0}, server_version);
                break;
            case 4:
                encode(
                    out,
                    TickString{request_id, tick::kRtVolume,
                               rt_volume_text(price + 0.01, size, 1'700'000'000'000 + static_cast<std::int64_t>(index),
                                              size * static_cast<double>(round + 1), price)},
                    server_version);
                break;
            default:
                encode(out, TickPrice{request_id, tick::kLast, price + 0.01, size, 0}, server_version);
                break;
        }
    }
    return out;
}

}  // namespace mdp::ibkr::fake
