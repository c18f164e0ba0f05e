#pragma once
// Tick types of the market data messages (tickPrice/tickSize/tickString/tickGeneric) that
// the provider interprets, and the mapping of delayed ticks (66..76) onto their live twins.

#include <optional>
#include <string_view>

namespace mdp::ibkr::tick {

inline constexpr int kBidSize = 0;
inline constexpr int kBid = 1;
inline constexpr int kAsk = 2;
inline constexpr int kAskSize = 3;
inline constexpr int kLast = 4;
inline constexpr int kLastSize = 5;
inline constexpr int kHigh = 6;
inline constexpr int kLow = 7;
inline constexpr int kVolume = 8;
inline constexpr int kClose = 9;
inline constexpr int kOpen = 14;
inline constexpr int kBidExchange = 32;
inline constexpr int kAskExchange = 33;
inline constexpr int kLastTimestamp = 45;
inline constexpr int kRtVolume = 48;
inline constexpr int kHalted = 49;
inline constexpr int kTradeCount = 54;
inline constexpr int kLastExchange = 84;

inline constexpr int kDelayedBid = 66;
inline constexpr int kDelayedAsk = 67;
inline constexpr int kDelayedLast = 68;
inline constexpr int kDelayedBidSize = 69;
inline constexpr int kDelayedAskSize = 70;
inline constexpr int kDelayedLastSize = 71;
inline constexpr int kDelayedHigh = 72;
inline constexpr int kDelayedLow = 73;
inline constexpr int kDelayedVolume = 74;
inline constexpr int kDelayedClose = 75;
inline constexpr int kDelayedOpen = 76;
inline constexpr int kDelayedLastTimestamp = 88;

// The generic tick list entry that enables RTVolume (tick 48).
inline constexpr std::string_view kRtVolumeGenericTick = "233";

// A tick type seen through the delayed/live distinction: `live_type` is the live tick type
// (66 -> 1, ...), `delayed` tells whether the tick was a delayed one.
struct NormalisedTick {
    int live_type = -1;
    bool delayed = false;
};

constexpr NormalisedTick normalise(int tick_type) {
    if (tick_type >= kDelayedBid && tick_type <= kDelayedOpen) {
        constexpr int kLiveTwins[] = {kBid,  kAsk, kLast,   kBidSize, kAskSize, kLastSize,
                                      kHigh, kLow, kVolume, kClose,   kOpen};
        return {kLiveTwins[tick_type - kDelayedBid], true};
    }
    if (tick_type == kDelayedLastTimestamp) {
        return {kLastTimestamp, true};
    }
    return {tick_type, false};
}

// IB's client derives a size tick from every price tick (bid -> bidSize, ...); -1 if none.
constexpr int size_tick_for_price_tick(int tick_type) {
    switch (tick_type) {
        case kBid:
            return kBidSize;
        case kAsk:
            return kAskSize;
        case kLast:
            return kLastSize;
        case kDelayedBid:
            return kDelayedBidSize;
        case kDelayedAsk:
            return kDelayedAskSize;
        case kDelayedLast:
            return kDelayedLastSize;
        default:
            return -1;
    }
}

// Names used in logs and in the fake gateway's script files ("bid", "delayed_ask", ...).
std::string_view name_of(int tick_type);
std::optional<int> from_name(std::string_view name);

}  // namespace mdp::ibkr::tick
