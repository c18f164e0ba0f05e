#pragma once
// The price process of one synthetic instrument: a geometric random walk of the mid price,
// from which realistic top-of-book quotes and trade prints are drawn.
//
// Contract of what it produces (the tests check it):
//  - prices are whole ticks (0.01 at or above 1.00, 0.0001 below), so they look like a
//    real book; bid > 0, ask > bid, sizes > 0;
//  - a trade prints at the bid, at the ask or (rarely) at the midpoint of the current book;
//  - the sequence depends only on the RandomSource it is driven by.
// Not thread-safe; owned by one worker thread.

#include "random_source.hpp"

#include <cstdint>
#include <string_view>

namespace mdp::synthetic {

struct QuoteDraw {
    double bid = 0.0;
    double ask = 0.0;
    double bid_size = 0.0;
    double ask_size = 0.0;
    double last = 0.0;  // last trade price; NaN before the first trade
};

struct TradeDraw {
    double price = 0.0;
    double size = 0.0;
    std::string_view exchange;  // static storage
    std::string_view conditions;  // static storage
};

// e^x, within a couple of ulp of std::exp; much cheaper for the tiny |x| of one step of the walk.
double exp_of_step(double x) noexcept;

class RandomWalk {
   public:
    // `start_price` > 0; `volatility` = standard deviation of the relative mid-price change
    // per step (one step per quote or trade), >= 0.
    RandomWalk(double start_price, double volatility) noexcept;

    // Advances the mid price one step and returns the new top of book.
    QuoteDraw next_quote(RandomSource& random) noexcept;

    // Advances the mid price one step and returns a trade against the new book.
    TradeDraw next_trade(RandomSource& random) noexcept;

    [[nodiscard]] double mid() const noexcept { return mid_; }

   private:
    struct Book {
        std::int64_t bid_ticks;
        std::int64_t ask_ticks;
        double ticks_per_unit;
    };

    void step(RandomSource& random) noexcept;
    [[nodiscard]] Book draw_book(RandomSource& random) const noexcept;

    double mid_;
    double volatility_;
    double last_trade_price_;
};

}  // namespace mdp::synthetic
