// The synthetic price process: reproducible by seed, realistic books, sane statistics.
#include "random_source.hpp"
#include "random_walk.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

using mdp::synthetic::QuoteDraw;
using mdp::synthetic::RandomSource;
using mdp::synthetic::RandomWalk;
using mdp::synthetic::TradeDraw;

namespace {

// Whole ticks of the book's tick size, which follows the mid price (0.01 at or above 1.00).
bool is_whole_tick(double price, double mid) {
    const double ticks_per_unit = mid >= 1.0 ? 100.0 : 10000.0;
    const double ticks = price * ticks_per_unit;
    return std::abs(ticks - std::round(ticks)) < 1e-6;
}

std::vector<double> walk_bids(std::uint64_t seed, int steps) {
    RandomSource random(seed);
    RandomWalk walk(100.0, 0.001);
    std::vector<double> bids;
    bids.reserve(static_cast<std::size_t>(steps));
    for (int step = 0; step < steps; ++step) {
        bids.push_back(walk.next_quote(random).bid);
    }
    return bids;
}

}  // namespace

TEST_CASE("random source: the same seed yields the same sequence, another seed a different one",
          "[synthetic][random]") {
    RandomSource first(42);
    RandomSource second(42);
    RandomSource other(43);
    int differences = 0;
    for (int index = 0; index < 1000; ++index) {
        const std::uint64_t value = first.next_u64();
        REQUIRE(value == second.next_u64());
        differences += value != other.next_u64() ? 1 : 0;
    }
    CHECK(differences > 990);
}

TEST_CASE("random source: uniform and normal deviates have the right moments", "[synthetic][random]") {
    RandomSource random(7);
    constexpr int kSamples = 200000;
    double uniform_sum = 0.0;
    double normal_sum = 0.0;
    double normal_squares = 0.0;
    for (int index = 0; index < kSamples; ++index) {
        const double uniform = random.uniform();
        REQUIRE(uniform >= 0.0);
        REQUIRE(uniform < 1.0);
        uniform_sum += uniform;
        const double normal = random.normal();
        normal_sum += normal;
        normal_squares += normal * normal;
    }
    CHECK(uniform_sum / kSamples == Approx(0.5).margin(0.01));
    CHECK(normal_sum / kSamples == Approx(0.0).margin(0.01));
    CHECK(std::sqrt(normal_squares / kSamples) == Approx(1.0).epsilon(0.01));
    for (int index = 0; index < 1000; ++index) {
        REQUIRE(random.below(7) < 7u);
    }
}

TEST_CASE("random walk: reproducible by seed", "[synthetic][random_walk]") {
    CHECK(walk_bids(1234, 5000) == walk_bids(1234, 5000));
    CHECK(walk_bids(1234, 5000) != walk_bids(1235, 5000));
}

TEST_CASE("random walk: every quote has 0 < bid < ask on whole ticks and positive sizes", "[synthetic][random_walk]") {
    // A volatile walk that starts below one unit crosses the sub-dollar tick boundary too.
    const double start_price = GENERATE(100.0, 0.8, 2500.0);
    RandomSource random(99);
    RandomWalk walk(start_price, 0.01);
    for (int step = 0; step < 50000; ++step) {
        const QuoteDraw quote = walk.next_quote(random);
        INFO("step " << step << " bid " << quote.bid << " ask " << quote.ask);
        REQUIRE(quote.bid > 0.0);
        REQUIRE(quote.ask > quote.bid);
        REQUIRE(is_whole_tick(quote.bid, walk.mid()));
        REQUIRE(is_whole_tick(quote.ask, walk.mid()));
        REQUIRE(quote.bid_size > 0.0);
        REQUIRE(quote.ask_size > 0.0);
        // The book straddles the mid it was drawn around (within a tick of rounding).
        const double tick = walk.mid() >= 1.0 ? 0.01 : 0.0001;
        REQUIRE(quote.bid <= walk.mid() + tick);
        REQUIRE(quote.ask >= walk.mid() - tick);
    }
}

TEST_CASE("random walk: trades print at realistic prices and sizes, quotes carry the last trade",
          "[synthetic][random_walk]") {
    RandomSource random(5);
    RandomWalk walk(50.0, 0.0005);
    CHECK(std::isnan(walk.next_quote(random).last));  // no trade yet
    for (int step = 0; step < 10000; ++step) {
        const TradeDraw trade = walk.next_trade(random);
        REQUIRE(trade.price > 0.0);
        REQUIRE(trade.size >= 1.0);
        REQUIRE(!trade.exchange.empty());
        // Round lots are marked regular ("@"), odd lots "I".
        const bool round_lot = std::fmod(trade.size, 100.0) == 0.0;
        REQUIRE(trade.conditions == (round_lot ? "@" : "I"));
        // Within a few ticks of the mid the book was drawn around.
        REQUIRE(std::abs(trade.price - walk.mid()) < 0.05);
        const QuoteDraw quote = walk.next_quote(random);
        REQUIRE(quote.last == trade.price);
    }
}

TEST_CASE("random walk: relative moves have the configured volatility", "[synthetic][random_walk]") {
    constexpr double kVolatility = 0.002;
    constexpr int kSteps = 100000;
    RandomSource random(11);
    RandomWalk walk(100.0, kVolatility);
    double previous = walk.mid();
    double sum_squares = 0.0;
    for (int step = 0; step < kSteps; ++step) {
        walk.next_quote(random);
        const double log_return = std::log(walk.mid() / previous);
        sum_squares += log_return * log_return;
        previous = walk.mid();
    }
    CHECK(std::sqrt(sum_squares / kSteps) == Approx(kVolatility).epsilon(0.02));
}

TEST_CASE("random walk: zero volatility keeps the mid price fixed", "[synthetic][random_walk]") {
    RandomSource random(3);
    RandomWalk walk(42.0, 0.0);
    for (int step = 0; step < 100; ++step) {
        walk.next_quote(random);
        REQUIRE(walk.mid() == 42.0);
    }
}

TEST_CASE("random walk: exp_of_step is std::exp within a few ulp, for small and large steps",
          "[synthetic][random_walk]") {
    for (int step = -2000; step <= 2000; ++step) {
        const double x = 0.5 * static_cast<double>(step) / 2000;  // -0.5 .. 0.5, across the 2^-9 switch
        REQUIRE(mdp::synthetic::exp_of_step(x) == Approx(std::exp(x)).epsilon(1e-15));
    }
    CHECK(mdp::synthetic::exp_of_step(0.0) == 1.0);
}
