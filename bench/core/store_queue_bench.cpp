// The store queue against Boost.Lockfree carrying the same record (pipeline::StoreEvent),
// measured in the same run:
//   1 -> 1:  mdp StoreQueue vs boost::lockfree::spsc_queue, both with batch push/pop
//            (providers publish batches) and one record at a time.
//   4 -> 1:  mdp StoreQueue vs boost::lockfree::queue (which has no batch API).
// Items/s is the consumer's rate over a fixed number of records per iteration.
//
// Every producer builds each record once, in place where the queue allows it (mdp's fill
// callback; spsc_queue's iterator push, fed by a generating iterator), and every consumer
// copies records out into a buffer of 500. The mdp consumer runs two ways:
//   consumer:0  polls pop() like the Boost consumers (Boost.Lockfree has no waiting);
//   consumer:1  waits for a batch with wait_for_depth() as the store coordinator does.
//
//   build/bench/bench_store_queue --benchmark_repetitions=5 --benchmark_enable_random_interleaving=true
//       --benchmark_report_aggregates_only=true   (one command line)

#include "pipeline/store_queue.hpp"

#include <benchmark/benchmark.h>
#include <boost/lockfree/queue.hpp>
#include <boost/iterator/counting_iterator.hpp>
#include <boost/iterator/transform_iterator.hpp>
#include <boost/lockfree/spsc_queue.hpp>

#include <atomic>
#include <thread>
#include <vector>

using mdp::config::OverflowPolicy;
using mdp::pipeline::StoreEvent;
using mdp::pipeline::StoreQueue;

namespace {

constexpr std::size_t kCapacity = 10000;  // the default store queue capacity
constexpr std::size_t kConsumerBatch = 500;  // the default coordinator batch
constexpr std::size_t kRecordsPerIteration = 2'000'000;

StoreEvent sample_record(std::uint32_t provider, std::uint64_t sequence) {
    StoreEvent record{};
    record.event.size = sizeof(mdp_event_t);
    record.event.type = MDP_EVENT_QUOTE;
    record.provider_id = provider;
    record.sequence = sequence;
    return record;
}

// Makes record `sequence` of `provider`; assignable, so it can drive a Boost transform_iterator.
struct RecordMaker {
    std::uint32_t provider = 0;
    StoreEvent operator()(std::uint64_t sequence) const { return sample_record(provider, sequence); }
};

// Splits kRecordsPerIteration over `producers` threads that each call `produce(thread, count)`,
// while the calling thread runs `consume(total)` until it has seen every record.
template <typename Produce, typename Consume>
void run_producers_and_consumer(int producers, Produce produce, Consume consume) {
    const std::size_t per_producer = kRecordsPerIteration / static_cast<std::size_t>(producers);
    std::vector<std::thread> threads;
    for (int thread = 0; thread < producers; ++thread) {
        threads.emplace_back([&, thread] { produce(static_cast<std::uint32_t>(thread), per_producer); });
    }
    consume(per_producer * static_cast<std::size_t>(producers));
    for (auto& thread : threads) {
        thread.join();
    }
}

// Pops into `buffer` until `total` records were received; `wait` blocks for a batch first.
void consume_store_queue(StoreQueue& queue, std::size_t total, bool wait) {
    std::vector<StoreEvent> buffer(kConsumerBatch);
    std::size_t received = 0;
    while (received < total) {
        if (wait) {
            // As the coordinator consumes: until a batch is ready (or 250 ms), then pop.
            queue.wait_for_depth(std::min(kConsumerBatch, total - received),
                                 std::chrono::steady_clock::now() + std::chrono::milliseconds(250));
        }
        received += queue.pop(buffer);
        benchmark::DoNotOptimize(buffer.data());
    }
}

void mdp_store_queue(benchmark::State& state) {
    const int producers = static_cast<int>(state.range(0));
    const std::size_t producer_batch = static_cast<std::size_t>(state.range(1));
    const bool wait = state.range(2) != 0;
    for (auto _ : state) {
        StoreQueue queue(kCapacity, OverflowPolicy::block);
        run_producers_and_consumer(
            producers,
            [&](std::uint32_t thread, std::size_t count) {
                std::uint64_t sequence = 0;
                for (std::size_t sent = 0; sent < count; sent += producer_batch) {
                    const std::size_t batch = std::min(producer_batch, count - sent);
                    queue.push(batch, [&](StoreEvent& slot, std::size_t) { slot = sample_record(thread, ++sequence); });
                }
            },
            [&](std::size_t total) { consume_store_queue(queue, total, wait); });
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRecordsPerIteration));
}

void boost_spsc_queue(benchmark::State& state) {
    const std::size_t producer_batch = static_cast<std::size_t>(state.range(1));
    for (auto _ : state) {
        boost::lockfree::spsc_queue<StoreEvent> queue(kCapacity);
        run_producers_and_consumer(
            1,
            [&](std::uint32_t thread, std::size_t count) {
                // Records are made as the queue copies them in, as mdp's fill callback does.
                const RecordMaker make{thread};
                std::uint64_t sequence = 1;
                const std::uint64_t end = count + 1;
                while (sequence < end) {
                    const std::uint64_t batch_end = std::min<std::uint64_t>(sequence + producer_batch, end);
                    auto next = boost::make_transform_iterator(boost::counting_iterator<std::uint64_t>(sequence), make);
                    const auto last =
                        boost::make_transform_iterator(boost::counting_iterator<std::uint64_t>(batch_end), make);
                    while (next != last) {
                        next = queue.push(next, last);
                    }
                    sequence = batch_end;
                }
            },
            [&](std::size_t total) {
                std::vector<StoreEvent> buffer(kConsumerBatch);
                std::size_t received = 0;
                while (received < total) {
                    received += queue.pop(buffer.data(), buffer.size());
                    benchmark::DoNotOptimize(buffer.data());
                }
            });
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRecordsPerIteration));
}

void boost_lockfree_queue(benchmark::State& state) {
    const int producers = static_cast<int>(state.range(0));
    for (auto _ : state) {
        boost::lockfree::queue<StoreEvent> queue(kCapacity);
        run_producers_and_consumer(
            producers,
            [&](std::uint32_t thread, std::size_t count) {
                std::uint64_t sequence = 0;
                for (std::size_t sent = 0; sent < count; ++sent) {
                    const StoreEvent record = sample_record(thread, ++sequence);
                    while (!queue.bounded_push(record)) {
                    }
                }
            },
            [&](std::size_t total) {
                StoreEvent record{};
                std::size_t received = 0;
                while (received < total) {
                    if (queue.pop(record)) {
                        ++received;
                        benchmark::DoNotOptimize(record);
                    }
                }
            });
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRecordsPerIteration));
}

}  // namespace

// Args: {producers, producer batch size, consumer waits (1) or polls (0)}
BENCHMARK(mdp_store_queue)
    ->ArgNames({"producers", "batch", "consumer"})
    ->ArgsProduct({{1, 4}, {64, 1}, {0, 1}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(boost_spsc_queue)
    ->ArgNames({"producers", "batch"})
    ->Args({1, 64})
    ->Args({1, 1})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(boost_lockfree_queue)
    ->ArgNames({"producers", "batch"})
    ->Args({1, 1})
    ->Args({4, 1})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
