#pragma once
// Builds OHLCV + VWAP + trade count bars of several intervals from one provider's ticks
// (its trades, or the mid of its quotes), per symbol. The rules (docs/data-quality.md, "Bars
// from ticks"):
//   - a tick belongs to the interval [start, start + interval) with start =
//     floor(event_time_ns / interval) * interval: intervals are aligned to the Unix epoch,
//     hence to UTC midnight and every wall-clock boundary (each interval divides a day);
//   - a bar's event_time_ns is its interval's start, its receive_time_ns when it was closed;
//   - a symbol has one open bar per interval. A tick of a later interval closes it (the
//     symbol's stream moved on) and opens the next; close_due() closes it once the wall clock
//     reaches its end + grace_ms, whether or not another tick came. Intervals without a tick
//     produce no bar;
//   - a tick is late, counted and left out, when its interval is closed: the wall clock is at
//     or past the interval's end + grace_ms, or the symbol already closed a bar of that
//     interval or a later one, or has a bar of a later interval open. Each interval judges on
//     its own; a tick left out of any interval's bar counts once as late;
//   - a tick whose event time is ahead of the wall clock by more than grace_ms + 1 s is
//     counted as `future` and left out: one bad timestamp would otherwise open a bar hours
//     ahead and make every later tick of the symbol late until it closed;
//   - trades: open/high/low/close of the prices, volume = sum(size), VWAP = sum(price *
//     size) / sum(size) (NaN when the volume is 0), trade_count = trades. quotes_mid: prices
//     (bid + ask) / 2, volume 0, VWAP NaN, trade_count 0;
//   - a bar carries MDP_EVENT_FLAG_DELAYED / _REPLAYED when any of its ticks did.
// Not thread-safe (BarOperator locks it). Times are UTC nanoseconds.

#include "config/host_config.hpp"

#include <mdp/plugin_api.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mdp::pipeline {

// What add() did with one event.
enum class TickOutcome { aggregated, late, unpriced, future, not_a_tick };

class BarBuilder {
   public:
    // Appends each closed bar to the vector (a complete mdp_event_t of type MDP_EVENT_BAR).
    using ClosedBars = std::vector<mdp_event_t>;
    static constexpr std::int64_t kNothingDue = std::numeric_limits<std::int64_t>::max();

    explicit BarBuilder(config::BarsConfig config);

    [[nodiscard]] const config::BarsConfig& config() const { return config_; }

    // Offers one published event at wall-clock `now_ns`; the bars it closes go to `closed`.
    // Events of another type than the source's are not ticks. Allocates only for a new symbol.
    TickOutcome add(const mdp_event_t& event, std::int64_t now_ns, ClosedBars& closed);
    // Closes every open bar whose end + grace_ms is at or before `now_ns`.
    void close_due(std::int64_t now_ns, ClosedBars& closed);
    // Closes every open bar, complete or not (stop of the host, new bar settings).
    void flush(std::int64_t now_ns, ClosedBars& closed);
    // No close_due() closes anything before this (UTC ns; kNothingDue when no bar is open).
    // May be earlier than needed after a tick closed a bar, never later.
    [[nodiscard]] std::int64_t next_due_ns() const { return next_due_ns_; }

   private:
    struct OpenBar {
        bool open = false;
        std::int64_t start_ns = 0;
        // Ticks of intervals up to this one are late (the last closed bar's start).
        std::int64_t closed_through_ns = std::numeric_limits<std::int64_t>::min();
        double open_price = 0.0;
        double high = 0.0;
        double low = 0.0;
        double close = 0.0;
        double volume = 0.0;
        double notional = 0.0;  // sum of price * size, for the VWAP
        std::int64_t trade_count = 0;
        std::uint16_t flags = 0;
    };
    // One symbol's bars, one per configured interval (same order).
    using SymbolBars = std::vector<OpenBar>;
    struct Tick {
        std::int64_t time_ns = 0;
        double price = 0.0;
        double size = 0.0;
        std::uint16_t flags = 0;
    };
    struct SymbolHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };

    // The tick an event is, or the outcome that says why it is none.
    TickOutcome tick_of(const mdp_event_t& event, Tick& tick) const;
    // The symbol's entry (created on its first tick) and its key, which outlives the call.
    std::pair<const std::string, SymbolBars>& entry_of(std::string_view symbol);
    // Adds `tick` to `bar`, the symbol's bar of `interval_ns`, closing it first when the tick
    // belongs to a later interval or the bar is due; false when the tick is late.
    bool merge(OpenBar& bar, std::int64_t interval_ns, const Tick& tick, std::string_view symbol, std::int64_t now_ns,
               ClosedBars& closed);
    static void open(OpenBar& bar, std::int64_t start_ns, const Tick& tick);
    void close(OpenBar& bar, std::int64_t interval_ns, std::string_view symbol, std::int64_t now_ns,
               ClosedBars& closed) const;
    // How far ahead of the wall clock a tick may be (grace_ms + 1 s).
    [[nodiscard]] std::int64_t future_tolerance_ns() const { return grace_ns_ + 1'000'000'000; }
    [[nodiscard]] std::int64_t due_ns(const OpenBar& bar, std::int64_t interval_ns) const {
        return bar.start_ns + interval_ns + grace_ns_;
    }

    config::BarsConfig config_;
    std::int64_t grace_ns_;
    std::unordered_map<std::string, SymbolBars, SymbolHash, std::equal_to<>> symbols_;
    std::int64_t next_due_ns_ = kNothingDue;
};

}  // namespace mdp::pipeline
