#pragma once
// What is known about one contract's top of book, built up from individual ticks. Each
// apply_* returns whether the visible quote changed, so duplicate ticks (TWS repeats a size
// after its price tick) produce no event.

#include <mdp/plugin_api.h>

#include <cstdint>
#include <limits>
#include <string>

namespace mdp::ibkr {

struct QuoteState {
    static constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();

    double bid = kUnknown;
    double ask = kUnknown;
    double bid_size = kUnknown;
    double ask_size = kUnknown;
    double last = kUnknown;
    double last_size = kUnknown;
    std::int64_t last_trade_time_ns = 0;  // from the lastTimestamp tick, 0 if none yet
    std::string last_exchange;

    // Field updates; NaN means "no data" and clears the field. Return true when it changed.
    bool set_bid(double price) { return assign(bid, price); }
    bool set_ask(double price) { return assign(ask, price); }
    bool set_bid_size(double size) { return assign(bid_size, size); }
    bool set_ask_size(double size) { return assign(ask_size, size); }
    bool set_last(double price) { return assign(last, price); }
    bool set_last_size(double size) { return assign(last_size, size); }

    [[nodiscard]] mdp_quote_t as_quote() const { return {bid, ask, bid_size, ask_size, last}; }

    void clear() { *this = QuoteState{}; }

   private:
    static bool assign(double& field, double value) {
        const bool both_unknown = field != field && value != value;
        if (both_unknown || field == value) {
            return false;
        }
        field = value;
        return true;
    }
};

}  // namespace mdp::ibkr
