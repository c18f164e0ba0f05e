// Pacing math: credit accrues with time × rate × scale; 0.5 halves it, 0.0 stops it.
#include "credit_pacer.hpp"

#include <catch2/catch.hpp>

using mdp::synthetic::CreditPacer;

namespace {

constexpr std::int64_t kMillisecond = 1'000'000;
constexpr std::int64_t kSecond = 1'000'000'000;

// Simulates a publisher that spends whatever credit it has every millisecond for
// `duration_ns` at `scale`; returns how many events it published.
std::uint64_t simulate(CreditPacer& pacer, std::int64_t& now_ns, std::int64_t duration_ns, double scale) {
    std::uint64_t published = 0;
    const std::int64_t end = now_ns + duration_ns;
    while (now_ns < end) {
        now_ns += kMillisecond;
        pacer.accrue(now_ns, scale);
        const std::uint64_t available = pacer.available();
        pacer.spend(available);
        published += available;
    }
    return published;
}

}  // namespace

TEST_CASE("credit pacer: the first accrual only starts the clock", "[synthetic][pacing]") {
    CreditPacer pacer(1000.0, 10.0);
    pacer.accrue(5 * kSecond, 1.0);
    CHECK(pacer.available() == 0);
    pacer.accrue(5 * kSecond + 100 * kMillisecond, 1.0);
    CHECK(pacer.available() == 100);
}

TEST_CASE("credit pacer: scale 1 gives the full rate, 0.5 half of it, 0 nothing", "[synthetic][pacing]") {
    std::int64_t now_ns = 0;
    CreditPacer pacer(2000.0);
    pacer.accrue(now_ns, 1.0);
    CHECK(simulate(pacer, now_ns, 10 * kSecond, 1.0) == Approx(20000).margin(1));
    CHECK(simulate(pacer, now_ns, 10 * kSecond, 0.5) == Approx(10000).margin(1));
    CHECK(simulate(pacer, now_ns, 10 * kSecond, 0.0) == 0);
    // A pause earns nothing: the rate right after it is the normal rate, not a burst.
    CHECK(simulate(pacer, now_ns, 1 * kSecond, 1.0) == Approx(2000).margin(1));
}

TEST_CASE("credit pacer: scales outside 0..1 are clamped, NaN pauses", "[synthetic][pacing]") {
    CreditPacer pacer(1000.0, 10.0);
    pacer.accrue(0, 1.0);
    pacer.accrue(kSecond, 3.0);
    CHECK(pacer.available() == 1000);
    pacer.spend(1000);
    pacer.accrue(2 * kSecond, -1.0);
    CHECK(pacer.available() == 0);
    pacer.accrue(3 * kSecond, std::numeric_limits<double>::quiet_NaN());
    CHECK(pacer.available() == 0);
}

TEST_CASE("credit pacer: credit is capped so a stall is not followed by a burst", "[synthetic][pacing]") {
    CreditPacer pacer(1000.0, 0.1);
    pacer.accrue(0, 1.0);
    pacer.accrue(60 * kSecond, 1.0);  // e.g. a publish blocked for a minute
    CHECK(pacer.available() == 100);
}

TEST_CASE("credit pacer: time until credit is available", "[synthetic][pacing]") {
    CreditPacer pacer(1000.0, 10.0);
    pacer.accrue(0, 1.0);
    CHECK(pacer.time_until(100, 1.0) == 100 * kMillisecond);
    CHECK(pacer.time_until(100, 0.5) == 200 * kMillisecond);
    CHECK_FALSE(pacer.time_until(100, 0.0).has_value());  // paused: never without a change
    pacer.accrue(50 * kMillisecond, 1.0);
    CHECK(pacer.time_until(50, 0.0) == 0);  // already there
    CHECK(pacer.time_until(100, 1.0) == 50 * kMillisecond);
}

TEST_CASE("credit pacer: worthwhile batches are ~5 ms of events within 1..max", "[synthetic][pacing]") {
    CHECK(CreditPacer(1'000'000.0).worthwhile_batch(1.0, 256) == 256);
    CHECK(CreditPacer(20'000.0).worthwhile_batch(1.0, 256) == 100);
    CHECK(CreditPacer(20'000.0).worthwhile_batch(0.5, 256) == 50);
    CHECK(CreditPacer(100.0).worthwhile_batch(1.0, 256) == 1);
    CHECK(CreditPacer(100.0).worthwhile_batch(0.0, 256) == 1);
}
