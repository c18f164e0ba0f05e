// The group-commit rule on made-up times: when the store coordinator writes, how much it
// takes, and how long it may wait. No clock, no threads: every case is exact.

#include "pipeline/batching_rule.hpp"

#include <catch2/catch.hpp>

using mdp::pipeline::BatchingLimits;
using mdp::pipeline::BatchingRule;
using namespace std::chrono_literals;

namespace {

const BatchingRule::TimePoint kStart{std::chrono::seconds(1000)};

BatchingLimits limits(std::size_t batch_size, std::size_t max_batch_size, std::chrono::microseconds coalesce_wait) {
    BatchingLimits result;
    result.batch_size = batch_size;
    result.max_batch_size = max_batch_size;
    result.coalesce_wait = coalesce_wait;
    result.idle_wake = 250ms;
    return result;
}

}  // namespace

TEST_CASE("an idle sink writes the first event at once when there is no coalescing wait", "[batching]") {
    BatchingRule rule(limits(500, 500, 0us));
    const auto waiting = rule.decide(0, kStart);
    CHECK(waiting.write_count == 0);
    CHECK(waiting.wake_at_depth == 1);  // any event wakes the coordinator
    CHECK(waiting.wake_at == kStart + 250ms);  // the idle wake-up, to report the depth

    CHECK(rule.decide(1, kStart + 3ms).write_count == 1);
}

TEST_CASE("what queues up during a write is the next batch, written as soon as the write ends", "[batching]") {
    BatchingRule rule(limits(500, 500, 0us));
    REQUIRE(rule.decide(2, kStart).write_count == 2);
    rule.write_finished(kStart);
    // 37 events arrived during the 4 ms write: all of them go at once, far below batch_size.
    CHECK(rule.decide(37, kStart + 4ms).write_count == 37);
}

TEST_CASE("a backlog is taken up to the largest batch a sink prefers, never more", "[batching]") {
    BatchingRule rule(limits(500, 5000, 0us));
    CHECK(rule.decide(12000, kStart).write_count == 5000);
    rule.write_finished(kStart);
    CHECK(rule.decide(7000, kStart + 20ms).write_count == 5000);
    rule.write_finished(kStart + 20ms);
    CHECK(rule.decide(2000, kStart + 40ms).write_count == 2000);
}

TEST_CASE("the coalescing wait holds a partial batch back for at most that long", "[batching]") {
    BatchingRule rule(limits(500, 500, 200us));
    const auto first = rule.decide(3, kStart);
    CHECK(first.write_count == 0);
    CHECK(first.wake_at_depth == 500);  // a full batch ends the wait early
    CHECK(first.wake_at == kStart + 200us);

    // Woken early (spuriously, or by a few more events): the deadline stays where it was.
    const auto again = rule.decide(9, kStart + 150us);
    CHECK(again.write_count == 0);
    CHECK(again.wake_at == kStart + 200us);

    CHECK(rule.decide(14, kStart + 200us).write_count == 14);
}

TEST_CASE("a full batch_size is written without waiting out the coalescing wait", "[batching]") {
    BatchingRule rule(limits(500, 5000, 10ms));
    CHECK(rule.decide(499, kStart).write_count == 0);
    CHECK(rule.decide(500, kStart + 1us).write_count == 500);
}

TEST_CASE("events that arrived during a write count their wait from the write's start", "[batching]") {
    BatchingRule rule(limits(500, 500, 1ms));
    REQUIRE(rule.decide(5, kStart).write_count == 0);
    REQUIRE(rule.decide(5, kStart + 1ms).write_count == 5);
    SECTION("a write longer than the wait: the next batch goes at once") {
        rule.write_finished(kStart + 1ms);
        CHECK(rule.decide(40, kStart + 3ms).write_count == 40);
    }
    SECTION("a write shorter than the wait: the next batch waits for the rest of it") {
        rule.write_finished(kStart + 1ms);
        const auto decision = rule.decide(40, kStart + 1100us);
        CHECK(decision.write_count == 0);
        CHECK(decision.wake_at == kStart + 2ms);
    }
}

TEST_CASE("an empty queue restarts the coalescing clock at the next event", "[batching]") {
    BatchingRule rule(limits(500, 500, 1ms));
    REQUIRE(rule.decide(5, kStart).write_count == 0);
    REQUIRE(rule.decide(5, kStart + 1ms).write_count == 5);
    rule.write_finished(kStart + 1ms);
    REQUIRE(rule.decide(0, kStart + 2ms).write_count == 0);  // the sink is idle again
    // An event seen 10 s later has waited since it was seen, not since the last write.
    const auto decision = rule.decide(1, kStart + 10s);
    CHECK(decision.write_count == 0);
    CHECK(decision.wake_at == kStart + 10s + 1ms);
}

TEST_CASE(
    "without waiting (draining, or a backlog) everything queued is written at once, in batches of at most the "
    "maximum",
    "[batching]") {
    BatchingRule rule(limits(500, 800, 250ms));
    CHECK(rule.decide(3, kStart, true).write_count == 3);
    CHECK(rule.decide(2000, kStart, true).write_count == 800);
}

TEST_CASE("the previous rule is the coalescing wait set to the flush interval", "[batching]") {
    // coalesce_wait = flush_interval_ms, no sink preference: a partial batch waits the
    // interval, a full batch_size goes at once -- what a config with both keys set gets.
    BatchingRule rule(limits(500, 500, 250ms));
    CHECK(rule.decide(7, kStart).wake_at == kStart + 250ms);
    CHECK(rule.decide(7, kStart + 250ms).write_count == 7);
    rule.write_finished(kStart + 250ms);
    CHECK(rule.decide(600, kStart + 251ms).write_count == 500);
}

TEST_CASE("limits are made consistent: batch_size at least 1, the maximum at least batch_size", "[batching]") {
    const BatchingRule rule(limits(0, 0, 0us));
    CHECK(rule.limits().batch_size == 1);
    CHECK(rule.limits().max_batch_size == 1);
    const BatchingRule larger(limits(500, 100, 0us));
    CHECK(larger.limits().max_batch_size == 500);
}
