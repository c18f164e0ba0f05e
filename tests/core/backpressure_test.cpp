// Backpressure levels: hysteresis rule, watermarks, and the controller's feedback events.

#include "pipeline/backpressure_controller.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <thread>

using mdp::pipeline::BackpressureController;
using mdp::pipeline::Level;
using mdp::pipeline::next_level;
using mdp::pipeline::Watermarks;
using mdp::pipeline::watermarks_for;
using mdp::status::FeedbackEvent;

TEST_CASE("level rule: SOFT above low, HARD at high, OK only at or below low", "[backpressure]") {
    const Watermarks marks{50, 80};
    CHECK(next_level(Level::ok, 0, marks) == Level::ok);
    CHECK(next_level(Level::ok, 50, marks) == Level::ok);
    CHECK(next_level(Level::ok, 51, marks) == Level::soft);
    CHECK(next_level(Level::ok, 79, marks) == Level::soft);
    CHECK(next_level(Level::ok, 80, marks) == Level::hard);
    CHECK(next_level(Level::soft, 80, marks) == Level::hard);
    CHECK(next_level(Level::soft, 51, marks) == Level::soft);
    CHECK(next_level(Level::soft, 50, marks) == Level::ok);
}

TEST_CASE("HARD does not step down to SOFT: it returns to OK only at the low watermark", "[backpressure]") {
    const Watermarks marks{50, 80};
    CHECK(next_level(Level::hard, 79, marks) == Level::hard);
    CHECK(next_level(Level::hard, 51, marks) == Level::hard);
    CHECK(next_level(Level::hard, 50, marks) == Level::ok);
}

TEST_CASE("watermarks are fractions of capacity and stay reachable", "[backpressure]") {
    const auto defaults = watermarks_for(10000, 0.5, 0.8);
    CHECK(defaults.low == 5000);
    CHECK(defaults.high == 8000);
    const auto tiny = watermarks_for(1, 0.5, 0.8);
    CHECK(tiny.high == 1);
    CHECK(tiny.low == 0);
}

TEST_CASE("controller publishes one event per transition, in order, with the contract fields", "[backpressure]") {
    // The controller's own tick (every kTickInterval, on its thread) re-observes the depth
    // source at any moment of the sequence: the source reports the depth the test observed
    // last, so a tick sees what the test sees and adds no transition of its own.
    std::atomic<std::size_t> depth{0};
    BackpressureController controller(100, {50, 80}, "store_coordinator", [&] { return depth.load(); });
    const auto observe = [&](std::size_t queue_depth) {
        depth = queue_depth;
        return controller.observe(queue_depth);
    };
    std::mutex mutex;
    std::vector<FeedbackEvent> received;
    controller.subscribe([&](const FeedbackEvent& event) {
        std::lock_guard lock(mutex);
        received.push_back(event);
    });
    controller.start();
    CHECK(observe(10) == Level::ok);
    CHECK(observe(60) == Level::soft);
    CHECK(observe(70) == Level::soft);
    CHECK(observe(85) == Level::hard);
    CHECK(observe(60) == Level::hard);
    CHECK(observe(40) == Level::ok);
    controller.stop();
    REQUIRE(received.size() == 3);
    CHECK(received[0].level == "soft");
    CHECK(received[1].level == "hard");
    CHECK(received[2].level == "ok");
    CHECK(received[1].coordinator_id == "store_coordinator");
    CHECK(received[1].queue_size == 85);
    CHECK(received[1].capacity == 100);
    CHECK(received[1].utilization == Approx(0.85));
    CHECK(received[1].reason.find("high watermark 80") != std::string::npos);
    CHECK(received[2].timestamp_ns >= received[1].timestamp_ns);
    CHECK(controller.recent_events().size() == 3);
}

TEST_CASE("the controller's tick re-reads the depth, correcting a stale level", "[backpressure]") {
    std::atomic<std::size_t> depth{90};
    BackpressureController controller(100, {50, 80}, "store_coordinator", [&] { return depth.load(); });
    controller.observe(90);
    CHECK(controller.level() == Level::hard);
    depth = 0;
    controller.start();
    for (int attempt = 0; attempt < 100 && controller.level() != Level::ok; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(controller.level() == Level::ok);
    controller.stop();
}

TEST_CASE("a stale depth reading makes no transition: the controller decides on a fresh one", "[backpressure]") {
    // An observer read 90 and was preempted; meanwhile the queue drained to 10.
    std::size_t depth = 10;
    BackpressureController controller(100, {50, 80}, "store_coordinator", [&] { return depth; });
    CHECK(controller.observe(90) == Level::ok);
    CHECK(controller.recent_events().empty());
    // A reading that is still true makes the transition, reported with the fresh depth.
    depth = 95;
    CHECK(controller.observe(90) == Level::hard);
    REQUIRE(controller.recent_events().size() == 1);
    CHECK(controller.recent_events()[0].queue_size == 95);
}
