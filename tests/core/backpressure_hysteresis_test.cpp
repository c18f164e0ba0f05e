// The backpressure hysteresis: the SOFT band above the low watermark and the minimum dwell
// per level, driven on a simulated clock (observe_at) so no timer of the controller runs.

#include "pipeline/backpressure_controller.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using mdp::pipeline::BackpressureController;
using mdp::pipeline::Hysteresis;
using mdp::pipeline::Level;
using mdp::pipeline::next_level;
using mdp::pipeline::Watermarks;
using namespace std::chrono_literals;

namespace {

constexpr Watermarks kMarks{500, 800};  // capacity 1000 at 0.5 / 0.8

// The controller decides a transition again on a fresh read of its depth source (under its
// lock): here the source reports the depth the test observed last.
class DrivenController {
   public:
    explicit DrivenController(Hysteresis hysteresis)
        : controller_(
              1000, kMarks, "test", [this] { return depth_; }, hysteresis) {}
    Level observe_at(std::size_t depth, std::chrono::steady_clock::time_point now) {
        depth_ = depth;
        return controller_.observe_at(depth, now);
    }
    [[nodiscard]] Level level() const { return controller_.level(); }
    [[nodiscard]] auto recent_events() const { return controller_.recent_events(); }

   private:
    std::size_t depth_ = 0;
    BackpressureController controller_;
};

const auto kStart = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);

}  // namespace

TEST_CASE("the SOFT band: OK -> SOFT only above low + band, back to OK at the low watermark", "[core][backpressure]") {
    CHECK(next_level(Level::ok, 501, kMarks, 50) == Level::ok);
    CHECK(next_level(Level::ok, 550, kMarks, 50) == Level::ok);
    CHECK(next_level(Level::ok, 551, kMarks, 50) == Level::soft);
    // Once SOFT, it stays SOFT down to the low watermark itself.
    CHECK(next_level(Level::soft, 501, kMarks, 50) == Level::soft);
    CHECK(next_level(Level::soft, 500, kMarks, 50) == Level::ok);
    // The contract is unchanged at the edges: HARD at high from anywhere, HARD -> OK only at low.
    CHECK(next_level(Level::ok, 800, kMarks, 50) == Level::hard);
    CHECK(next_level(Level::hard, 501, kMarks, 50) == Level::hard);
    CHECK(next_level(Level::hard, 500, kMarks, 50) == Level::ok);
    // Band 0 is the rule without hysteresis.
    CHECK(next_level(Level::ok, 501, kMarks) == Level::soft);
}

TEST_CASE("the SOFT band is capped so that SOFT stays reachable below the high watermark", "[core][backpressure]") {
    CHECK(mdp::pipeline::soft_band_for(1000, kMarks, 0.05) == 50);
    CHECK(mdp::pipeline::soft_band_for(1000, kMarks, 0.9) == 299);
    CHECK(mdp::pipeline::soft_band_for(1000, kMarks, 0.0) == 0);
}

TEST_CASE("the minimum dwell holds each level, except that HARD is entered at once", "[core][backpressure]") {
    DrivenController controller({0, 1000ms});
    // The first transition is never delayed.
    CHECK(controller.observe_at(600, kStart) == Level::soft);
    // Back at the low watermark 10 ms later: held SOFT until 1 s has passed.
    CHECK(controller.observe_at(400, kStart + 10ms) == Level::soft);
    CHECK(controller.observe_at(400, kStart + 999ms) == Level::soft);
    CHECK(controller.observe_at(400, kStart + 1000ms) == Level::ok);
    // OK -> SOFT is delayed too...
    CHECK(controller.observe_at(600, kStart + 1100ms) == Level::ok);
    // ...but reaching the high watermark is HARD at once, whatever the dwell.
    CHECK(controller.observe_at(800, kStart + 1200ms) == Level::hard);
    CHECK(controller.observe_at(100, kStart + 1300ms) == Level::hard);
    CHECK(controller.observe_at(100, kStart + 2200ms) == Level::ok);
    CHECK(controller.level() == Level::ok);
    const auto recent = controller.recent_events();
    std::vector<std::string> levels;
    for (const auto& event : recent) {
        levels.push_back(event.level);
    }
    CHECK(levels == std::vector<std::string>{"soft", "ok", "hard", "ok"});
}

TEST_CASE("HARD is left at once when the queue is empty, SOFT still waits for the dwell", "[core][backpressure]") {
    DrivenController controller({0, 1000ms});
    CHECK(controller.observe_at(800, kStart) == Level::hard);
    // Drained below the low watermark but not empty: the dwell holds the pause.
    CHECK(controller.observe_at(1, kStart + 10ms) == Level::hard);
    // Empty: the sinks would idle behind paused providers, so OK at once.
    CHECK(controller.observe_at(0, kStart + 20ms) == Level::ok);
    // The empty-queue exception is HARD's alone: SOFT -> OK keeps its dwell.
    CHECK(controller.observe_at(600, kStart + 1100ms) == Level::soft);
    CHECK(controller.observe_at(0, kStart + 1200ms) == Level::soft);
    CHECK(controller.observe_at(0, kStart + 2100ms) == Level::ok);
}

TEST_CASE("a depth jittering around the low watermark inside the band changes nothing", "[core][backpressure]") {
    DrivenController controller({50, 0ms});
    for (int step = 0; step < 1000; ++step) {
        const std::size_t depth = step % 2 == 0 ? 480 : 540;
        CHECK(controller.observe_at(depth, kStart + std::chrono::milliseconds(step)) == Level::ok);
    }
    CHECK(controller.recent_events().empty());
}
