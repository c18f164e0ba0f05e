// The one retry policy (common/retry_backoff.hpp): doubling from the initial delay up to the
// cap, each delay drawn from the upper half of its step.
#include "common/retry_backoff.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace std::chrono_literals;

TEST_CASE("retry backoff doubles up to its maximum, with jitter in the upper half", "[backoff]") {
    mdp::common::RetryBackoff backoff(100ms, 1000ms);
    for (int round = 0; round < 50; ++round) {
        const auto first = backoff.delay_before_retry(1);
        CHECK((first >= 50ms && first <= 100ms));
        const auto third = backoff.delay_before_retry(3);
        CHECK((third >= 200ms && third <= 400ms));
        const auto tenth = backoff.delay_before_retry(10);
        CHECK((tenth >= 500ms && tenth <= 1000ms));
    }
}

TEST_CASE("the free function follows the same steps, and a cap below the start is the start", "[backoff]") {
    std::mt19937_64 random(7);
    for (int round = 0; round < 50; ++round) {
        const auto first = mdp::common::jittered_backoff(1000ms, 300000ms, 1, random);
        CHECK((first >= 500ms && first <= 1000ms));
        const auto zeroth = mdp::common::jittered_backoff(1000ms, 300000ms, 0, random);
        CHECK((zeroth >= 500ms && zeroth <= 1000ms));
        const auto many = mdp::common::jittered_backoff(1000ms, 300000ms, 4000000000u, random);
        CHECK((many >= 150000ms && many <= 300000ms));
        const auto inverted = mdp::common::jittered_backoff(200ms, 50ms, 5, random);
        CHECK((inverted >= 100ms && inverted <= 200ms));
    }
}
