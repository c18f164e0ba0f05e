// Cost of rendering what the HTTP routes serve, from a prepared snapshot (Google Benchmark).
// The budget: /metrics with 50 provider instances in < 1 ms. The baseline in the same run
// is the same document for 0 providers (the fixed part: queue, sinks, latency, process).
//
//   build/bench/bench_metrics_render [--benchmark_repetitions=5 --benchmark_report_aggregates_only=true]

#include "bench_snapshot.hpp"
#include "http/metrics_document.hpp"
#include "http/readiness.hpp"
#include "http/status_json.hpp"
#include "metrics/process_stats.hpp"

#include <benchmark/benchmark.h>

namespace {

// Snapshot -> /metrics text, process stats read once outside the loop.
void render_metrics(benchmark::State& state) {
    const auto snapshot = mdp::bench::bench_snapshot(static_cast<std::size_t>(state.range(0)));
    const auto process = mdp::metrics::read_process_stats();
    std::size_t bytes = 0;
    for (auto _ : state) {
        const std::string document = mdp::http::render_metrics_document(snapshot, process);
        bytes = document.size();
        benchmark::DoNotOptimize(document.data());
    }
    state.counters["document_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(render_metrics)->Arg(0)->Arg(1)->Arg(10)->Arg(50)->Arg(200)->Unit(benchmark::kMicrosecond);

// What one scrape costs the HTTP thread besides the snapshot itself: /proc reads + render.
void render_metrics_with_process_stats(benchmark::State& state) {
    const auto snapshot = mdp::bench::bench_snapshot(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        const std::string document = mdp::http::render_metrics_document(snapshot, mdp::metrics::read_process_stats());
        benchmark::DoNotOptimize(document.data());
    }
}
BENCHMARK(render_metrics_with_process_stats)->Arg(50)->Unit(benchmark::kMicrosecond);

void read_process_stats(benchmark::State& state) {
    for (auto _ : state) {
        benchmark::DoNotOptimize(mdp::metrics::read_process_stats());
    }
}
BENCHMARK(read_process_stats)->Unit(benchmark::kMicrosecond);

// Snapshot -> /api/v1/status JSON text (what the status page polls).
void render_status_json(benchmark::State& state) {
    const auto snapshot = mdp::bench::bench_snapshot(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        const auto readiness = mdp::http::evaluate_readiness(snapshot);
        const std::string text = mdp::http::dump_json(mdp::http::status_to_json(snapshot, readiness));
        benchmark::DoNotOptimize(text.data());
    }
}
BENCHMARK(render_status_json)->Arg(0)->Arg(50)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
