// The store queue under many producers and one consumer, for every overflow policy,
// capacities 1, 2, 7, 64 and 10,000, and 1, 2, 4 and 8 producers pushing batches of random
// size. Every record carries its producer, a per-producer sequence and a payload derived
// from both, so the consumer can prove no record was lost, repeated, reordered or torn:
//  - each producer's records arrive in sequence order with an intact payload;
//  - per producer, accepted == seen by the consumer + evicted (exactly);
//  - block and drop_oldest accept every record; drop_newest refuses only with `refused_full`;
//  - depth() never reads above the capacity (producers, consumer and a monitor thread read it);
//  - with a budget that keeps the queue from ever filling, no policy acts as if it were full:
//    drop_newest accepts everything, drop_oldest evicts nothing.
// Each configuration runs for QUEUE_STRESS_SECONDS (default 0.25 s; set it higher for a
// longer soak, e.g. QUEUE_STRESS_SECONDS=10 ctest -R "store queue stress"), and at least
// until the consumer has seen kMinimumSeen records.

#include "pipeline/store_queue.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

using mdp::config::OverflowPolicy;
using mdp::pipeline::PushResult;
using mdp::pipeline::StoreEvent;
using mdp::pipeline::StoreQueue;

namespace {

constexpr std::size_t kPayloadWords = sizeof(mdp_event_t{}.body.reserved) / sizeof(std::uint64_t);

std::chrono::duration<double> stress_duration() {
    const char* text = std::getenv("QUEUE_STRESS_SECONDS");  // NOLINT(concurrency-mt-unsafe): before threads
    if (text == nullptr || *text == '\0') {
        return std::chrono::duration<double>(0.25);
    }
    char* end = nullptr;
    const double seconds = std::strtod(text, &end);
    if (*end != '\0' || !(seconds > 0.0)) {
        FAIL("QUEUE_STRESS_SECONDS must be a positive number of seconds, got \"" << text << "\"");
    }
    return std::chrono::duration<double>(seconds);
}

std::uint64_t mix(std::uint64_t value) {  // splitmix64's finaliser
    value = (value ^ (value >> 30U)) * 0xbf58476d1ce4e5b9ULL;
    value = (value ^ (value >> 27U)) * 0x94d049bb133111ebULL;
    return value ^ (value >> 31U);
}

std::uint64_t payload_word(std::uint32_t producer, std::uint64_t sequence, std::size_t word) {
    return mix((static_cast<std::uint64_t>(producer) << 56U) ^ (sequence << 3U) ^ word);
}

void tag(StoreEvent& slot, std::uint32_t producer, std::uint64_t sequence) {
    slot.provider_id = producer;
    slot.sequence = sequence;
    slot.event.event_time_ns = static_cast<std::int64_t>(sequence);
    for (std::size_t word = 0; word < kPayloadWords; ++word) {
        const std::uint64_t value = payload_word(producer, sequence, word);
        std::memcpy(slot.event.body.reserved + word * sizeof(value), &value, sizeof(value));
    }
}

bool intact(const StoreEvent& record) {
    if (record.event.event_time_ns != static_cast<std::int64_t>(record.sequence)) {
        return false;
    }
    for (std::size_t word = 0; word < kPayloadWords; ++word) {
        std::uint64_t value = 0;
        std::memcpy(&value, record.event.body.reserved + word * sizeof(value), sizeof(value));
        if (value != payload_word(record.provider_id, record.sequence, word)) {
            return false;
        }
    }
    return true;
}

// Every configuration runs until the consumer has seen at least this many records.
constexpr std::uint64_t kMinimumSeen = 1000;
constexpr auto kMinimumSeenTimeout = std::chrono::seconds(60);

struct StressConfig {
    OverflowPolicy policy = OverflowPolicy::block;
    std::uint32_t producers = 1;
    std::size_t capacity = 1;
    // Producers reserve room before pushing and the consumer returns it after popping, so
    // the queue can never be full.
    bool budgeted = false;
};

// What one producer did; written by that producer only, read after it joined.
struct alignas(64) ProducerTally {
    std::uint64_t attempted = 0;
    std::uint64_t accepted = 0;
    std::uint64_t refused_full = 0;  // records refused with refused_full set
    std::uint64_t unexplained_refusals = 0;  // pushes that returned short without a reason
    std::uint64_t short_pushes_with_room = 0;  // budgeted: a push that had room came back short
};

// What the consumer saw; written by the consumer only, read after it joined.
struct ConsumerTally {
    std::vector<std::uint64_t> seen;
    std::vector<std::uint64_t> last_sequence;
    std::uint64_t out_of_order = 0;
    std::uint64_t corrupted = 0;
    std::uint64_t unknown_producer = 0;
};

class StressRun {
   public:
    explicit StressRun(const StressConfig& config)
        : config_(config), queue_(config.capacity, config.policy), evicted_(config.producers),
          producers_(config.producers), budget_(static_cast<std::int64_t>(config.capacity)) {
        queue_.set_eviction_observer([this](const mdp::pipeline::StoreEvent& record) {
            const std::uint32_t producer = record.provider_id;
            if (producer < evicted_.size()) {
                evicted_[producer].fetch_add(1, std::memory_order_relaxed);
            }
        });
        consumer_.seen.assign(config.producers, 0);
        consumer_.last_sequence.assign(config.producers, 0);
    }

    void run(std::chrono::duration<double> duration) {
        std::vector<std::thread> producers;
        for (std::uint32_t producer = 0; producer < config_.producers; ++producer) {
            producers.emplace_back([this, producer] { produce(producer); });
        }
        std::thread consumer([this] { consume(); });
        std::thread monitor([this] {
            while (!stop_.load(std::memory_order_relaxed)) {
                note_depth();
            }
        });
        // The run's length, not a synchronisation: the checks below wait for the threads.
        std::this_thread::sleep_for(duration);
        // On a loaded machine the consumer may have had little CPU so far: go on until it has
        // seen enough records for the run to mean something (or give up and fail).
        const auto give_up = std::chrono::steady_clock::now() + kMinimumSeenTimeout;
        while (seen_total_.load() < kMinimumSeen && std::chrono::steady_clock::now() < give_up) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        stop_.store(true);
        for (auto& thread : producers) {
            thread.join();
        }
        producers_done_.store(true);
        consumer.join();
        monitor.join();
    }

    void check() const {
        std::uint64_t total_seen = 0;
        for (std::uint32_t producer = 0; producer < config_.producers; ++producer) {
            INFO("producer " << producer);
            const ProducerTally& tally = producers_[producer];
            const std::uint64_t evicted = evicted_[producer].load();
            const std::uint64_t seen = consumer_.seen[producer];
            total_seen += seen;
            CHECK(tally.accepted == seen + evicted);
            CHECK(tally.unexplained_refusals == 0);
            CHECK(tally.short_pushes_with_room == 0);
            if (config_.policy != OverflowPolicy::drop_newest || config_.budgeted) {
                CHECK(tally.accepted == tally.attempted);
                CHECK(tally.refused_full == 0);
            } else {
                CHECK(tally.accepted + tally.refused_full == tally.attempted);
            }
            if (config_.policy != OverflowPolicy::drop_oldest || config_.budgeted) {
                CHECK(evicted == 0);
            }
        }
        CHECK(consumer_.out_of_order == 0);
        CHECK(consumer_.corrupted == 0);
        CHECK(consumer_.unknown_producer == 0);
        CHECK(max_depth_.load() <= config_.capacity);
        CHECK(total_seen >= kMinimumSeen);
    }

   private:
    void note_depth() {
        const std::size_t depth = queue_.depth();
        std::size_t seen = max_depth_.load(std::memory_order_relaxed);
        while (depth > seen && !max_depth_.compare_exchange_weak(seen, depth, std::memory_order_relaxed)) {
        }
    }

    // Budgeted runs: takes up to `wanted` units of room, as many as are free.
    std::size_t reserve(std::size_t wanted) {
        std::int64_t free_room = budget_.load(std::memory_order_acquire);
        while (true) {
            const std::size_t take = std::min(wanted, static_cast<std::size_t>(std::max<std::int64_t>(free_room, 0)));
            if (budget_.compare_exchange_weak(free_room, free_room - static_cast<std::int64_t>(take),
                                              std::memory_order_acq_rel, std::memory_order_acquire)) {
                return take;
            }
        }
    }

    void produce(std::uint32_t producer) {
        std::mt19937_64 random(mix(config_.capacity * 131 + std::uint64_t{producer} * 7 + config_.producers));
        const std::size_t largest = config_.budgeted ? config_.capacity : 2 * config_.capacity;
        std::uniform_int_distribution<std::size_t> batch_size(0, largest);
        ProducerTally& tally = producers_[producer];
        std::uint64_t next = 1;
        while (!stop_.load(std::memory_order_relaxed)) {
            std::size_t batch = batch_size(random);
            if (config_.budgeted) {
                batch = reserve(batch);
                if (batch == 0) {
                    std::this_thread::yield();  // the consumer returns room as it pops
                    continue;
                }
            }
            const PushResult result =
                queue_.push(batch, [&](StoreEvent& slot, std::size_t index) { tag(slot, producer, next + index); });
            tally.attempted += batch;
            tally.accepted += result.accepted;
            if (result.accepted < batch) {
                if (config_.budgeted) {
                    ++tally.short_pushes_with_room;
                } else if (result.refused_full) {
                    tally.refused_full += batch - result.accepted;
                } else {
                    ++tally.unexplained_refusals;  // the queue is never closed here
                }
            }
            next += batch;  // refused records keep their numbers: gaps are allowed, repeats are not
            note_depth();
        }
    }

    void consume() {
        std::mt19937_64 random(mix(config_.capacity + std::uint64_t{config_.producers} * 1009));
        std::uniform_int_distribution<std::size_t> amount(1, config_.capacity);
        std::vector<StoreEvent> buffer(config_.capacity);
        while (true) {
            const bool finished = producers_done_.load();
            queue_.wait_for_depth(amount(random), std::chrono::steady_clock::now() + std::chrono::milliseconds(2));
            const std::size_t taken = queue_.pop(std::span<StoreEvent>(buffer.data(), amount(random)));
            for (std::size_t index = 0; index < taken; ++index) {
                record(buffer[index]);
            }
            if (config_.budgeted) {
                budget_.fetch_add(static_cast<std::int64_t>(taken), std::memory_order_acq_rel);
            }
            note_depth();
            if (finished && taken == 0 && queue_.depth() == 0) {
                return;
            }
        }
    }

    void record(const StoreEvent& event) {
        if (event.provider_id >= config_.producers) {
            ++consumer_.unknown_producer;
            return;
        }
        if (!intact(event)) {
            ++consumer_.corrupted;
        }
        std::uint64_t& last = consumer_.last_sequence[event.provider_id];
        if (event.sequence <= last) {
            ++consumer_.out_of_order;
        }
        last = event.sequence;
        ++consumer_.seen[event.provider_id];
        seen_total_.fetch_add(1, std::memory_order_relaxed);
    }

    const StressConfig config_;
    StoreQueue queue_;
    std::vector<std::atomic<std::uint64_t>> evicted_;
    std::vector<ProducerTally> producers_;
    ConsumerTally consumer_;
    std::atomic<std::int64_t> budget_;
    std::atomic<std::size_t> max_depth_{0};
    std::atomic<std::uint64_t> seen_total_{0};  // what the consumer has seen so far
    std::atomic<bool> stop_{false};
    std::atomic<bool> producers_done_{false};
};

void stress(OverflowPolicy policy, bool budgeted) {
    const auto duration = stress_duration();
    const auto producers = GENERATE(1U, 2U, 4U, 8U);
    const auto capacity = GENERATE(std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{64}, std::size_t{10000});
    INFO(producers << " producers, capacity " << capacity);
    StressRun run({policy, producers, capacity, budgeted});
    run.run(duration);
    run.check();
}

}  // namespace

TEST_CASE("store queue stress: block", "[queue][stress]") { stress(OverflowPolicy::block, false); }
TEST_CASE("store queue stress: drop_newest", "[queue][stress]") { stress(OverflowPolicy::drop_newest, false); }
TEST_CASE("store queue stress: drop_oldest", "[queue][stress]") { stress(OverflowPolicy::drop_oldest, false); }
TEST_CASE("store queue stress: block, never full", "[queue][stress]") { stress(OverflowPolicy::block, true); }
TEST_CASE("store queue stress: drop_newest never refuses a push that fits", "[queue][stress]") {
    stress(OverflowPolicy::drop_newest, true);
}
TEST_CASE("store queue stress: drop_oldest never evicts while there is room", "[queue][stress]") {
    stress(OverflowPolicy::drop_oldest, true);
}
