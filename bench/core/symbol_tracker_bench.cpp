// Per-symbol freshness tracking (pipeline/symbol_tracker.hpp) with 100,000 symbols:
//   memory: heap bytes per tracked symbol (glibc mallinfo2 before and after), for symbols
//           short enough for std::string's inline buffer (<= 15 characters) and longer ones;
//   cost:   CPU ns per event of SymbolTracker::record() in batches of 500, every symbol
//           already seen, against the same loop over the batch without the tracker (the
//           baseline, in the same run); heap allocations while recording (must be 0).
// The end-to-end comparison (the whole pipeline with tracking on and off) is bench_pipeline's
// third argument; see docs/performance.md.
//
//   build/bench/bench_symbol_tracker [rounds, default 5]

#include "allocation_counter.hpp"
#include "pipeline/symbol_tracker.hpp"

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

namespace {

constexpr std::size_t kSymbols = 100'000;
constexpr std::size_t kBatch = 500;
constexpr std::int64_t kSecondNs = 1'000'000'000;

std::vector<mdp::pipeline::StoreEvent> events_for(const char* format) {
    std::vector<mdp::pipeline::StoreEvent> events(kSymbols);
    for (std::size_t index = 0; index < kSymbols; ++index) {
        auto& record = events[index];
        record.event.size = sizeof(mdp_event_t);
        record.event.type = index % 5 == 0 ? MDP_EVENT_TRADE : MDP_EVENT_QUOTE;
        std::snprintf(record.event.symbol, MDP_SYMBOL_CAPACITY, format, index);
        record.event.body.quote = {100.0, 100.01, 5.0, 7.0, std::nan("")};
        record.provider_id = 0;
    }
    // Arrival order unrelated to insertion order, as a feed's would be.
    std::shuffle(events.begin(), events.end(), std::mt19937_64(1));
    return events;
}

std::size_t heap_in_use() { return mallinfo2().uordblks; }

double bytes_per_symbol(const char* format) {
    const auto events = events_for(format);
    const std::size_t before = heap_in_use();
    {
        mdp::pipeline::SymbolTracker tracker;
        tracker.configure(0, "feed", mdp::config::FreshnessConfig{});
        for (std::size_t first = 0; first < events.size(); first += kBatch) {
            tracker.record(std::span(events).subspan(first, std::min(kBatch, events.size() - first)), kSecondNs);
        }
        const std::size_t after = heap_in_use();
        return static_cast<double>(after - before) / static_cast<double>(kSymbols);
    }
}

double cpu_seconds() {
    timespec now{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// What the coordinator does with a batch anyway, standing in for it: touch every record.
std::uint64_t baseline_pass(std::span<const mdp::pipeline::StoreEvent> batch) {
    std::uint64_t sum = 0;
    for (const auto& record : batch) {
        sum += static_cast<std::uint64_t>(record.event.symbol[0]) + record.event.type;
    }
    return sum;
}

struct Cost {
    double baseline_ns_per_event;
    double tracked_ns_per_event;
    std::uint64_t allocations;
};

Cost measure_cost(const std::vector<mdp::pipeline::StoreEvent>& events) {
    mdp::pipeline::SymbolTracker tracker;
    tracker.configure(0, "feed", mdp::config::FreshnessConfig{});
    tracker.record(events, kSecondNs);  // every symbol seen once
    constexpr int kPasses = 20;
    volatile std::uint64_t sink = 0;
    double started = cpu_seconds();
    for (int pass = 0; pass < kPasses; ++pass) {
        for (std::size_t first = 0; first < events.size(); first += kBatch) {
            sink = sink + baseline_pass(std::span(events).subspan(first, kBatch));
        }
    }
    const double baseline = cpu_seconds() - started;
    const std::uint64_t allocations_before = mdp::bench::allocations_so_far();
    started = cpu_seconds();
    for (int pass = 0; pass < kPasses; ++pass) {
        for (std::size_t first = 0; first < events.size(); first += kBatch) {
            const auto batch = std::span(events).subspan(first, kBatch);
            sink = sink + baseline_pass(batch);
            tracker.record(batch, (2 + pass) * kSecondNs);
        }
    }
    const double tracked = cpu_seconds() - started;
    const double per_event = 1e9 / static_cast<double>(kPasses * events.size());
    return {baseline * per_event, tracked * per_event, mdp::bench::allocations_so_far() - allocations_before};
}

}  // namespace

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 5;
    std::printf("memory, %zu symbols: %.1f bytes/symbol (symbols of 9 characters), %.1f bytes/symbol (of 21)\n",
                kSymbols, bytes_per_symbol("SYM%06zu"), bytes_per_symbol("LONG.SYMBOL.NAME%05zu"));
    const auto events = events_for("SYM%06zu");
    for (int round = 0; round < rounds; ++round) {
        const Cost cost = measure_cost(events);
        std::printf(
            "round %d: baseline %.1f CPU ns/event, with tracking %.1f CPU ns/event (+%.1f), "
            "%llu allocations while recording\n",
            round + 1, cost.baseline_ns_per_event, cost.tracked_ns_per_event,
            cost.tracked_ns_per_event - cost.baseline_ns_per_event, static_cast<unsigned long long>(cost.allocations));
        std::fflush(stdout);
    }
    return 0;
}
