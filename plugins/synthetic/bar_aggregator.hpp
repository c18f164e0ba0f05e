#pragma once
// Aggregates one instrument's trades into time bars of one fixed interval.
//
// Intervals are aligned to the Unix epoch (a 60 s bar starts on a whole minute), a trade at
// time t belongs to the bar starting at floor(t / interval) * interval, and a bar is closed
// (and handed out exactly once) when a trade of a later interval arrives or when the clock
// passes its end. Intervals without trades produce no bar. Times are UTC nanoseconds.
// Not thread-safe; owned by one worker thread.

#include <mdp/plugin_api.h>

#include <cstdint>
#include <optional>

namespace mdp::synthetic {

struct ClosedBar {
    std::int64_t start_time_ns = 0;
    mdp_bar_t bar{};
};

class BarAggregator {
   public:
    // `interval_ns` > 0.
    explicit BarAggregator(std::int64_t interval_ns) noexcept;

    // Adds a trade. When it falls into a later interval than the open bar, that bar is
    // closed and returned (the trade then opens the next bar). A trade older than the open
    // bar's interval is counted into the open bar (clocks may step back slightly).
    std::optional<ClosedBar> add_trade(std::int64_t time_ns, double price, double size) noexcept;

    // Closes and returns the open bar when its interval ended at or before `now_ns`.
    std::optional<ClosedBar> close_if_due(std::int64_t now_ns) noexcept;

    [[nodiscard]] std::int64_t interval_ns() const noexcept { return interval_ns_; }
    [[nodiscard]] bool has_open_bar() const noexcept { return trade_count_ > 0; }

   private:
    [[nodiscard]] std::int64_t interval_start(std::int64_t time_ns) const noexcept;
    void open(std::int64_t start_time_ns, double price, double size) noexcept;
    [[nodiscard]] ClosedBar close() noexcept;

    std::int64_t interval_ns_;
    std::int64_t start_time_ns_ = 0;
    double open_ = 0.0;
    double high_ = 0.0;
    double low_ = 0.0;
    double close_ = 0.0;
    double volume_ = 0.0;
    double notional_ = 0.0;  // sum of price * size, for the VWAP
    std::int64_t trade_count_ = 0;
};

}  // namespace mdp::synthetic
