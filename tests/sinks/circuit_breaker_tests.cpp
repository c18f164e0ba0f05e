#include "sinks/circuit_breaker.hpp"

#include <catch2/catch.hpp>

using mdp::sinks::CircuitBreaker;
using namespace std::chrono_literals;

TEST_CASE("circuit breaker opens after consecutive failures and half-opens after the cooldown", "[sinks][circuit]") {
    CircuitBreaker breaker(3, 10s);
    const auto start = CircuitBreaker::Clock::time_point{} + 1h;

    breaker.record_failure(start);
    breaker.record_failure(start);
    CHECK(breaker.state() == CircuitBreaker::State::closed);
    breaker.record_success();  // resets the count
    breaker.record_failure(start);
    breaker.record_failure(start);
    CHECK(breaker.allow_attempt(start));
    breaker.record_failure(start);
    CHECK(breaker.state() == CircuitBreaker::State::open);
    CHECK(circuit_state_name(breaker.state()) == "open");

    CHECK_FALSE(breaker.allow_attempt(start + 9s));
    CHECK(breaker.remaining_cooldown(start + 9s) == 1s);
    CHECK(breaker.allow_attempt(start + 10s));
    CHECK(breaker.state() == CircuitBreaker::State::half_open);

    SECTION("a failed probe opens it for another cooldown") {
        breaker.record_failure(start + 11s);
        CHECK(breaker.state() == CircuitBreaker::State::open);
        CHECK_FALSE(breaker.allow_attempt(start + 20s));
        CHECK(breaker.allow_attempt(start + 21s));
    }
    SECTION("a successful probe closes it") {
        breaker.record_success();
        CHECK(breaker.state() == CircuitBreaker::State::closed);
        CHECK(breaker.consecutive_failures() == 0);
        CHECK(circuit_state_name(breaker.state()) == "closed");
    }
}
