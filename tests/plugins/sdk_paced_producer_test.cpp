// The SDK's paced producer (mdp/sdk/paced_producer.hpp): schedule time follows the rate
// scale (checked on the clock's arithmetic, no wall time), a scale of 0 pauses before any
// step, a wake-up resumes at once, and stop() ends a sleeping producer.
#include "child_process.hpp"
#include "recording_host.hpp"

#include <mdp/sdk/paced_producer.hpp>

#include <catch2/catch.hpp>

#include <atomic>

using mdp::sdk::PacedProducer;
using mdp::sdk::ScaledClock;
using mdp::test::eventually;
using mdp::test::RecordingHost;

namespace {

constexpr std::chrono::seconds kPatience{30};
constexpr std::int64_t kMillisecond = 1'000'000;

}  // namespace

TEST_CASE("paced producer: schedule time runs at the rate scale and stands still at 0", "[sdk][pacing]") {
    ScaledClock clock;
    clock.advance(5 * kMillisecond, 1.0);  // starts the clock only
    CHECK(clock.schedule_ns() == 0);
    clock.advance(105 * kMillisecond, 1.0);
    CHECK(clock.schedule_ns() == 100 * kMillisecond);
    clock.advance(305 * kMillisecond, 0.5);
    CHECK(clock.schedule_ns() == 200 * kMillisecond);
    clock.advance(10'305 * kMillisecond, 0.0);  // a long pause accrues nothing: no burst after it
    CHECK(clock.schedule_ns() == 200 * kMillisecond);
    CHECK(clock.wall_ns_until(250 * kMillisecond, 0.5) == 100 * kMillisecond);
    CHECK(clock.wall_ns_until(250 * kMillisecond, 0.0) == std::nullopt);
    CHECK(clock.wall_ns_until(150 * kMillisecond, 0.0) == 0);
}

TEST_CASE("paced producer: pauses at scale 0 before the first step, resumes on wake, stops at once", "[sdk][pacing]") {
    RecordingHost host;
    host.set_rate_scale(0.0);
    std::atomic<int> steps{0};
    std::atomic<int> pauses{0};
    PacedProducer producer;
    producer.start(
        mdp::sdk::Host(host.table()), "test",
        [&](std::int64_t schedule_ns) -> std::optional<std::int64_t> {
            ++steps;
            return schedule_ns + 3'600'000 * kMillisecond;  // next one in an hour: it then sleeps
        },
        [&](bool paused) { pauses += paused ? 1 : 0; });
    REQUIRE(eventually([&] { return pauses.load() == 1; }, kPatience));
    CHECK(steps.load() == 0);
    host.set_rate_scale(1.0);
    producer.wake();
    REQUIRE(eventually([&] { return steps.load() == 1; }, kPatience));
    producer.stop();  // returns although the next step is an hour away
    CHECK(steps.load() == 1);
}
