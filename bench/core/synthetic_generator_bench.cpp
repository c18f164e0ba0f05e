// The synthetic provider's generator alone: what one unthrottled worker thread does per
// batch apart from publishing (read the clock, fill a batch of 256 quotes, trades and bars
// for the bench_pipeline configuration: 4 symbols, 1-minute bars). Its rate is the ceiling
// of bench_pipeline's whole path, whose single provider thread also publishes every event.
//
//   build/bench/bench_synthetic_generator --benchmark_repetitions=5 --benchmark_report_aggregates_only=true

#include "event_generator.hpp"

#include <benchmark/benchmark.h>

#include <chrono>

namespace {

mdp::synthetic::GeneratorSettings pipeline_bench_settings() {
    mdp::synthetic::GeneratorSettings settings;
    settings.symbols = {"AAA", "BBB", "CCC", "DDD"};
    settings.bar_intervals_ns = {60'000'000'000};
    settings.batch_capacity = 256;
    settings.seed = 1;
    return settings;
}

void synthetic_generator(benchmark::State& state) {
    mdp::synthetic::EventGenerator generator(pipeline_bench_settings());
    const auto batch = static_cast<std::uint32_t>(state.range(0));
    for (auto _ : state) {
        const std::int64_t now_ns =
            std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
        const auto events = generator.fill(now_ns, batch);
        benchmark::DoNotOptimize(events.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

}  // namespace

BENCHMARK(synthetic_generator)->ArgName("batch")->Arg(256);

BENCHMARK_MAIN();
