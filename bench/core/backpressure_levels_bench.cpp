// Level transitions per second with the store queue held at a watermark, for the hysteresis
// settings given (default: today's rule without hysteresis next to the shipped defaults).
//
// The real BackpressureController is driven on a simulated clock, so the figure depends on
// the rule and the depth process only, not on the machine's load: a producer publishes
// batches at a steady rate and a sink exactly as fast as the producer drains a batch
// whenever the depth is above the watermark, which holds the depth at the watermark with
// the jitter of one publish batch and one drain batch. The controller observes the depth
// after every publish (as the publish path does) and every 100 ms (its own tick).
//
//   bench_backpressure_levels [--seconds S] [--capacity N] [--publish-batch N] [--drain-batch N]
//                             [--rate EVENTS_PER_S]
// Output: one line per (watermark, settings): transitions, transitions/s, by level.

#include "pipeline/backpressure_controller.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace {

using mdp::pipeline::BackpressureController;
using mdp::pipeline::Hysteresis;
using mdp::pipeline::Level;
using Clock = std::chrono::steady_clock;

struct Scenario {
    double seconds = 60;
    std::size_t capacity = 10000;
    std::size_t publish_batch = 256;  // the synthetic provider's default batch_size
    std::size_t drain_batch = 500;  // the coordinator's default batch_size
    double rate = 200000;  // events/s of the producer, and of the matched sink
};

struct Outcome {
    std::size_t transitions = 0;
    std::array<std::size_t, 3> by_level{};
};

// Holds the depth at `watermark` for the scenario's duration and counts transitions.
Outcome run(const Scenario& scenario, std::size_t watermark, Hysteresis hysteresis) {
    const auto marks = mdp::pipeline::watermarks_for(scenario.capacity, 0.5, 0.8);
    // The controller decides a transition on a fresh read of its depth source: the source is
    // the simulated queue's depth, as the coordinator's is the real queue's.
    std::size_t depth = watermark;
    BackpressureController controller(
        scenario.capacity, marks, "bench", [&depth] { return depth; }, hysteresis);
    Outcome outcome;
    controller.subscribe([](const mdp::status::FeedbackEvent&) {});
    std::mt19937_64 random(42);
    // Poisson arrivals of publish batches; the sink drains as fast as the producer fills.
    std::exponential_distribution<double> publish_gap(scenario.rate / static_cast<double>(scenario.publish_batch));
    const auto start = Clock::time_point{} + std::chrono::hours(1);
    const auto end =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(scenario.seconds));
    Level level = controller.observe_at(depth, start);
    auto next_tick = start;
    auto now = start;
    const auto note = [&](Level observed) {
        if (observed != level) {
            ++outcome.transitions;
            ++outcome.by_level[static_cast<std::size_t>(observed)];
            level = observed;
        }
    };
    while (now < end) {
        now += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(publish_gap(random)));
        while (next_tick <= now) {
            note(controller.observe_at(depth, next_tick));
            next_tick += BackpressureController::kTickInterval;
        }
        depth += scenario.publish_batch;
        note(controller.observe_at(depth, now));
        while (depth > watermark) {
            depth -= std::min(depth, scenario.drain_batch);
        }
    }
    return outcome;
}

double value_after(int& index, int argc, char** argv) {
    if (index + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", argv[index]);
        std::exit(2);
    }
    return std::strtod(argv[++index], nullptr);
}

}  // namespace

int main(int argc, char** argv) {
    Scenario scenario;
    for (int index = 1; index < argc; ++index) {
        const std::string option = argv[index];
        if (option == "--seconds") {
            scenario.seconds = value_after(index, argc, argv);
        } else if (option == "--capacity") {
            scenario.capacity = static_cast<std::size_t>(value_after(index, argc, argv));
        } else if (option == "--publish-batch") {
            scenario.publish_batch = static_cast<std::size_t>(value_after(index, argc, argv));
        } else if (option == "--drain-batch") {
            scenario.drain_batch = static_cast<std::size_t>(value_after(index, argc, argv));
        } else if (option == "--rate") {
            scenario.rate = value_after(index, argc, argv);
        } else {
            std::fprintf(stderr, "unknown option %s\n", option.c_str());
            return 2;
        }
    }
    const auto marks = mdp::pipeline::watermarks_for(scenario.capacity, 0.5, 0.8);
    struct Settings {
        const char* name;
        Hysteresis hysteresis;
    };
    const std::vector<Settings> settings = {
        {"no hysteresis (before)", {}},
        {"band 5% only", {mdp::pipeline::soft_band_for(scenario.capacity, marks, 0.05), std::chrono::milliseconds(0)}},
        {"dwell 1000 ms only", {0, std::chrono::milliseconds(1000)}},
        {"defaults: band 5% + dwell 1000 ms",
         {mdp::pipeline::soft_band_for(scenario.capacity, marks, 0.05), std::chrono::milliseconds(1000)}},
    };
    std::printf("capacity %zu, producer and sink %.0f events/s, publish batch %zu, drain batch %zu, %.0f s simulated\n",
                scenario.capacity, scenario.rate, scenario.publish_batch, scenario.drain_batch, scenario.seconds);
    for (const auto& [watermark_name, watermark] :
         std::vector<std::pair<const char*, std::size_t>>{{"low", marks.low}, {"high", marks.high}}) {
        for (const auto& [name, hysteresis] : settings) {
            const Outcome outcome = run(scenario, watermark, hysteresis);
            std::printf("%-4s watermark (%5zu)  %-34s %8zu transitions  %9.2f /s  (ok %zu, soft %zu, hard %zu)\n",
                        watermark_name, watermark, name, outcome.transitions,
                        static_cast<double>(outcome.transitions) / scenario.seconds, outcome.by_level[0],
                        outcome.by_level[1], outcome.by_level[2]);
        }
    }
    return 0;
}
