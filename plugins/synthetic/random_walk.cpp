#include "random_walk.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace mdp::synthetic {

namespace {

// Lowest mid price the walk may reach: keeps the book at least a few ticks above zero.
constexpr double kMinimumMid = 0.01;

constexpr std::array<std::string_view, 5> kExchanges = {"NASDAQ", "NYSE", "ARCA", "BATS", "IEX"};

double ticks_per_unit_for(double price) noexcept { return price >= 1.0 ? 100.0 : 10000.0; }

// Displayed sizes in round lots: 100..1000 shares.
double draw_book_size(RandomSource& random) noexcept { return 100.0 * (1 + random.below(10)); }

// floor(x) for x >= 0: truncation toward zero, a single instruction where std::floor is a
// library call on the baseline x86-64 instruction set.
std::int64_t floor_non_negative(double x) noexcept { return static_cast<std::int64_t>(x); }

}  // namespace

// The steps of realistic volatilities are tiny (|x| ~ 1e-3), and there the Taylor
// polynomial to x^5 agrees with std::exp to within a couple of ulp (the rest of the series is
// below 1e-19 relative for |x| < 2^-9; what remains is the polynomial's own rounding) at a
// fraction of its cost: the walk calls this once per event.
double exp_of_step(double x) noexcept {
    constexpr double kPolynomialBound = 0x1.0p-9;
    if (std::abs(x) < kPolynomialBound) {
        return 1.0 + x * (1.0 + x * (1.0 / 2 + x * (1.0 / 6 + x * (1.0 / 24 + x * (1.0 / 120)))));
    }
    return std::exp(x);
}

RandomWalk::RandomWalk(double start_price, double volatility) noexcept
    : mid_(std::max(start_price, kMinimumMid)), volatility_(volatility),
      last_trade_price_(std::numeric_limits<double>::quiet_NaN()) {}

void RandomWalk::step(RandomSource& random) noexcept {
    // Geometric step: the relative change is normal with stdev `volatility_`, so the mid
    // stays positive and its moves scale with its level.
    mid_ = std::max(mid_ * exp_of_step(volatility_ * random.normal()), kMinimumMid);
}

RandomWalk::Book RandomWalk::draw_book(RandomSource& random) const noexcept {
    const double ticks_per_unit = ticks_per_unit_for(mid_);
    // Spread: 1-3 ticks plus up to ~2 bp of the price, so expensive names have wider books.
    // Both floors take non-negative values: mid_ticks >= 100 (kMinimumMid at 10,000 ticks per
    // unit) and the half spread is at most 1.5 ticks + 1 bp of it.
    const double mid_ticks = mid_ * ticks_per_unit;
    // Drawn one after the other, in this order, so a seed gives the same book with any compiler.
    const std::uint32_t minimum_spread_ticks = 1 + random.below(3);
    const double price_share = random.uniform();
    const std::int64_t spread_ticks = minimum_spread_ticks + floor_non_negative(mid_ticks * 0.0002 * price_share);
    std::int64_t bid_ticks = floor_non_negative(mid_ticks - 0.5 * static_cast<double>(spread_ticks));
    bid_ticks = std::max<std::int64_t>(bid_ticks, 1);
    return {bid_ticks, bid_ticks + spread_ticks, ticks_per_unit};
}

QuoteDraw RandomWalk::next_quote(RandomSource& random) noexcept {
    step(random);
    const Book book = draw_book(random);
    QuoteDraw quote;
    // Dividing whole ticks (rather than multiplying by the tick) yields the double nearest
    // to the decimal price, e.g. exactly "100.01" when printed.
    quote.bid = static_cast<double>(book.bid_ticks) / book.ticks_per_unit;
    quote.ask = static_cast<double>(book.ask_ticks) / book.ticks_per_unit;
    quote.bid_size = draw_book_size(random);
    quote.ask_size = draw_book_size(random);
    quote.last = last_trade_price_;
    return quote;
}

TradeDraw RandomWalk::next_trade(RandomSource& random) noexcept {
    step(random);
    const Book book = draw_book(random);
    const double side = random.uniform();
    double price_ticks = 0.0;
    if (side < 0.45) {
        price_ticks = static_cast<double>(book.bid_ticks);
    } else if (side < 0.9) {
        price_ticks = static_cast<double>(book.ask_ticks);
    } else {
        price_ticks = 0.5 * static_cast<double>(book.bid_ticks + book.ask_ticks);
    }
    TradeDraw trade;
    trade.price = price_ticks / book.ticks_per_unit;
    // 60% round lots (100..500 shares), 40% odd lots (1..99 shares, condition "I").
    const bool round_lot = random.uniform() < 0.6;
    trade.size = round_lot ? 100.0 * (1 + random.below(5)) : static_cast<double>(1 + random.below(99));
    trade.exchange = kExchanges[random.below(static_cast<std::uint32_t>(kExchanges.size()))];
    trade.conditions = round_lot ? std::string_view("@") : std::string_view("I");
    last_trade_price_ = trade.price;
    return trade;
}

}  // namespace mdp::synthetic
