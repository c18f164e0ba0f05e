// Rate control: level -> scale mapping, per-provider overrides, feedback disabled, ramp.

#include "pipeline/rate_control.hpp"

#include <catch2/catch.hpp>

using namespace mdp;
using pipeline::Level;

namespace {

struct RecordingReceiver final : pipeline::RateReceiver {
    double scale = 1.0;
    Level level = Level::ok;
    int notified = 0;
    double current_rate_scale() const override { return scale; }
    void apply_feedback(Level new_level, double new_scale, std::size_t, std::size_t, bool notify) override {
        level = new_level;
        scale = new_scale;
        notified += notify ? 1 : 0;
    }
};

status::FeedbackEvent event(Level level) {
    status::FeedbackEvent result;
    result.level_value = static_cast<int>(level);
    result.level = std::string(pipeline::to_string(level));
    result.capacity = 100;
    return result;
}

}  // namespace

TEST_CASE("default scales: ok 1.0, soft 0.5, hard 0.0 (a real pause)", "[rate]") {
    config::BackpressureConfig config;
    pipeline::RateControl control(config);
    RecordingReceiver receiver;
    control.add_receiver(&receiver, {});
    control.on_feedback(event(Level::soft));
    CHECK(receiver.scale == 0.5);
    control.on_feedback(event(Level::hard));
    CHECK(receiver.scale == 0.0);
    CHECK(receiver.level == Level::hard);
    control.on_feedback(event(Level::ok));
    CHECK(receiver.scale == 1.0);
    CHECK(receiver.notified == 3);
}

TEST_CASE("configured and per-provider scales take precedence in that order", "[rate]") {
    config::BackpressureConfig config;
    config.scales = {1.0, 0.7, 0.1};
    pipeline::RateControl control(config);
    RecordingReceiver global;
    RecordingReceiver overridden;
    control.add_receiver(&global, {});
    control.add_receiver(&overridden, {std::nullopt, 0.9, std::nullopt});
    control.on_feedback(event(Level::soft));
    CHECK(global.scale == 0.7);
    CHECK(overridden.scale == 0.9);
    control.on_feedback(event(Level::hard));
    CHECK(overridden.scale == Approx(0.1));
}

TEST_CASE("feedback disabled keeps every scale at 1.0 but records the level", "[rate]") {
    config::BackpressureConfig config;
    config.feedback_enabled = false;
    pipeline::RateControl control(config);
    RecordingReceiver receiver;
    control.add_receiver(&receiver, {});
    control.on_feedback(event(Level::hard));
    CHECK(receiver.scale == 1.0);
    CHECK(receiver.level == Level::hard);
    CHECK(receiver.notified == 0);
}

TEST_CASE("recovery ramps the scale linearly back to the OK scale", "[rate]") {
    config::BackpressureConfig config;
    config.recovery_ramp_ms = 1000;
    pipeline::RateControl control(config);
    RecordingReceiver receiver;
    control.add_receiver(&receiver, {});
    control.on_feedback(event(Level::hard));
    REQUIRE(receiver.scale == 0.0);
    const auto start = std::chrono::steady_clock::now();
    control.on_feedback(event(Level::ok));
    CHECK(receiver.scale < 0.5);  // not at once
    control.on_tick(start + std::chrono::milliseconds(2000));
    CHECK(receiver.scale == 1.0);
    CHECK(receiver.level == Level::ok);
}

TEST_CASE("a ramp halfway through is at about half the distance", "[rate]") {
    config::BackpressureConfig config;
    config.recovery_ramp_ms = 10'000;
    pipeline::RateControl control(config);
    RecordingReceiver receiver;
    control.add_receiver(&receiver, {});
    control.on_feedback(event(Level::hard));
    const auto before = std::chrono::steady_clock::now();
    control.on_feedback(event(Level::ok));
    control.on_tick(before + std::chrono::milliseconds(5000));
    CHECK(receiver.scale == Approx(0.5).margin(0.05));
}
