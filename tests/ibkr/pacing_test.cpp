// Client-side pacing (token bucket, paced outbox) and reconnect backoff, on a simulated
// clock: the guarantees are checked exactly, not timed.

#include "session/paced_outbox.hpp"
#include "session/reconnect_backoff.hpp"
#include "session/token_bucket.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>
#include <set>

using namespace mdp::ibkr;
using namespace std::chrono_literals;
using Clock = TokenBucket::Clock;

namespace {

// Sends as fast as the bucket allows for `duration` (checking every 1 ms) and returns the
// largest count inside any sliding one-second window.
std::size_t busiest_second(double rate, Clock::duration duration) {
    const auto start = Clock::now();
    TokenBucket bucket(rate, pacing_burst_for(rate), start);
    std::deque<Clock::time_point> window;
    std::size_t busiest = 0;
    for (auto now = start; now < start + duration; now += 1ms) {
        while (bucket.try_take(now)) {
            window.push_back(now);
        }
        while (!window.empty() && now - window.front() >= 1s) {
            window.pop_front();
        }
        busiest = std::max(busiest, window.size());
    }
    return busiest;
}

}  // namespace

TEST_CASE("no sliding second carries more than TWS's 50 messages at any configured rate, less a jitter margin",
          "[ibkr][pacing]") {
    for (const double rate : {1.0, 10.0, 45.0, 49.0, 50.0}) {
        INFO("rate " << rate);
        const std::size_t busiest = busiest_second(rate, 10s);
        CHECK(busiest <= 50);
        // The jitter margin: up to 45/s, 5 messages of the limit stay free.
        CHECK(busiest <= static_cast<std::size_t>(std::max(rate, 45.0)));
        // A sliding second holds rate or rate - 1 sends, depending on where it starts.
        CHECK(busiest + 1 >= static_cast<std::size_t>(rate));
    }
}

TEST_CASE("the paced outbox releases 300 requests at the configured rate", "[ibkr][pacing]") {
    const auto start = Clock::now();
    PacedOutbox outbox(45.0, start);
    for (int index = 0; index < 300; ++index) {
        outbox.push("r" + std::to_string(index) + ";");
    }
    std::string sent;
    auto now = start;
    std::size_t released = outbox.release(sent, now);
    CHECK(released == 1);  // the burst: 1 at 45/s, which keeps 5 messages of jitter margin
    while (outbox.queued() > 0) {
        now = outbox.next_release_time(now);
        released += outbox.release(sent, now);
    }
    CHECK(released == 300);
    CHECK(sent.substr(0, 6) == "r0;r1;");
    // 299 requests after the burst at 45/s.
    CHECK(now - start >= 6600ms);
    CHECK(now - start <= 6700ms);
    CHECK(outbox.next_release_time(now) == Clock::time_point::max());
}

TEST_CASE("a pacing violation halves the rate until the slow-down expires", "[ibkr][pacing]") {
    const auto start = Clock::now();
    PacedOutbox outbox(45.0, start);
    outbox.slow_down(start, 30s);
    CHECK(outbox.current_rate() == 22.5);
    CHECK(outbox.slowed_down());
    CHECK_FALSE(outbox.restore_if_due(start + 29s));
    CHECK(outbox.restore_if_due(start + 30s));
    CHECK(outbox.current_rate() == 45.0);
    CHECK_FALSE(outbox.slowed_down());
    PacedOutbox slow(1.0, start);
    slow.slow_down(start, 1s);
    CHECK(slow.current_rate() == 1.0);  // never below one message a second
}

TEST_CASE("reconnect delays grow from 250 ms to 5 s with jitter", "[ibkr][reconnect]") {
    ReconnectConfig config;  // 250 ms -> 5 s, jitter 0.2
    ReconnectBackoff backoff(config, 1);
    const double expected_bases[] = {250, 500, 1000, 2000, 4000, 5000, 5000, 5000};
    for (const double base : expected_bases) {
        const auto delay = backoff.next_delay().count();
        CHECK(delay >= base * 0.8 - 1);
        CHECK(delay <= base * 1.2 + 1);
    }
    CHECK(backoff.attempts() == 8);
    CHECK_FALSE(backoff.exhausted());  // unlimited by default
    backoff.reset();
    const auto first = backoff.next_delay().count();
    CHECK(first >= 199);
    CHECK(first <= 301);
}

TEST_CASE("jitter spreads clients that start together", "[ibkr][reconnect]") {
    ReconnectConfig config;
    std::set<long> first_delays;
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        ReconnectBackoff backoff(config, seed);
        first_delays.insert(static_cast<long>(backoff.next_delay().count()));
    }
    CHECK(first_delays.size() > 5);
}

TEST_CASE("max_attempts ends the retries", "[ibkr][reconnect]") {
    ReconnectConfig config;
    config.max_attempts = 3;
    config.jitter = 0.0;
    ReconnectBackoff backoff(config, 1);
    (void)backoff.next_delay();
    (void)backoff.next_delay();
    CHECK_FALSE(backoff.exhausted());
    (void)backoff.next_delay();
    CHECK(backoff.exhausted());
    CHECK(backoff.max_delay().count() == 5000);
}
