#include "tick_types.hpp"

#include <array>
#include <utility>

namespace mdp::ibkr::tick {

namespace {

constexpr std::array<std::pair<int, std::string_view>, 30> kNames = {{
    {kBidSize, "bid_size"},
    {kBid, "bid"},
    {kAsk, "ask"},
    {kAskSize, "ask_size"},
    {kLast, "last"},
    {kLastSize, "last_size"},
    {kHigh, "high"},
    {kLow, "low"},
    {kVolume, "volume"},
    {kClose, "close"},
    {kOpen, "open"},
    {kBidExchange, "bid_exchange"},
    {kAskExchange, "ask_exchange"},
    {kLastTimestamp, "last_timestamp"},
    {kRtVolume, "rt_volume"},
    {kHalted, "halted"},
    {kTradeCount, "trade_count"},
    {kLastExchange, "last_exchange"},
    {kDelayedBid, "delayed_bid"},
    {kDelayedAsk, "delayed_ask"},
    {kDelayedLast, "delayed_last"},
    {kDelayedBidSize, "delayed_bid_size"},
    {kDelayedAskSize, "delayed_ask_size"},
    {kDelayedLastSize, "delayed_last_size"},
    {kDelayedHigh, "delayed_high"},
    {kDelayedLow, "delayed_low"},
    {kDelayedVolume, "delayed_volume"},
    {kDelayedClose, "delayed_close"},
    {kDelayedOpen, "delayed_open"},
    {kDelayedLastTimestamp, "delayed_last_timestamp"},
}};

}  // namespace

std::string_view name_of(int tick_type) {
    for (const auto& [type, name] : kNames) {
        if (type == tick_type) {
            return name;
        }
    }
    return "other";
}

std::optional<int> from_name(std::string_view name) {
    for (const auto& [type, known] : kNames) {
        if (known == name) {
            return type;
        }
    }
    return std::nullopt;
}

}  // namespace mdp::ibkr::tick
