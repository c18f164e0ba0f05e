// The store queue: capacity, each overflow policy, close(), and exact counts with several
// producers racing one consumer.

#include "pipeline/store_queue.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <thread>
#include <vector>

using mdp::config::OverflowPolicy;
using mdp::pipeline::StoreEvent;
using mdp::pipeline::StoreQueue;

namespace {

// Pushes `count` records from provider `provider`, numbered from `first`.
std::size_t push_numbered(StoreQueue& queue, std::size_t count, std::uint32_t provider = 0, std::uint64_t first = 1) {
    return queue
        .push(count,
              [&](StoreEvent& slot, std::size_t index) {
                  slot = StoreEvent{};
                  slot.provider_id = provider;
                  slot.sequence = first + index;
              })
        .accepted;
}

std::vector<StoreEvent> pop_all(StoreQueue& queue) {
    std::vector<StoreEvent> result;
    std::vector<StoreEvent> buffer(64);
    while (std::size_t taken = queue.pop(buffer)) {
        result.insert(result.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(taken));
    }
    return result;
}

}  // namespace

TEST_CASE("store queue keeps FIFO order and reports depth", "[queue]") {
    StoreQueue queue(8, OverflowPolicy::drop_newest);
    REQUIRE(push_numbered(queue, 5) == 5);
    CHECK(queue.depth() == 5);
    const auto records = pop_all(queue);
    REQUIRE(records.size() == 5);
    for (std::size_t index = 0; index < records.size(); ++index) {
        CHECK(records[index].sequence == index + 1);
    }
    CHECK(queue.depth() == 0);
}

TEST_CASE("store queue wraps around its ring many times", "[queue]") {
    StoreQueue queue(7, OverflowPolicy::drop_newest);
    std::uint64_t next = 1;
    for (int round = 0; round < 50; ++round) {
        REQUIRE(push_numbered(queue, 5, 0, next) == 5);
        const auto records = pop_all(queue);
        REQUIRE(records.size() == 5);
        for (const auto& record : records) {
            CHECK(record.sequence == next++);
        }
    }
}

TEST_CASE("drop_newest accepts up to capacity and rejects the rest", "[queue]") {
    StoreQueue queue(10, OverflowPolicy::drop_newest);
    CHECK(push_numbered(queue, 7) == 7);
    CHECK(push_numbered(queue, 7, 0, 8) == 3);
    CHECK(queue.depth() == 10);
    CHECK(push_numbered(queue, 1, 0, 100) == 0);
    const auto records = pop_all(queue);
    REQUIRE(records.size() == 10);
    CHECK(records.back().sequence == 10);
}

TEST_CASE("drop_oldest evicts the oldest records and reports whose they were", "[queue]") {
    StoreQueue queue(10, OverflowPolicy::drop_oldest);
    std::map<std::uint32_t, int> evicted;
    queue.set_eviction_observer([&](const StoreEvent& record) { ++evicted[record.provider_id]; });
    REQUIRE(push_numbered(queue, 6, 1, 1) == 6);
    REQUIRE(push_numbered(queue, 8, 2, 7) == 8);  // 4 of provider 1 must go
    CHECK(evicted[1] == 4);
    CHECK(evicted[2] == 0);
    const auto records = pop_all(queue);
    REQUIRE(records.size() == 10);
    CHECK(records.front().sequence == 5);
    CHECK(records.back().sequence == 14);
}

TEST_CASE("drop_oldest with a batch larger than capacity keeps the newest capacity records", "[queue]") {
    StoreQueue queue(4, OverflowPolicy::drop_oldest);
    int evicted = 0;
    queue.set_eviction_observer([&](const StoreEvent&) { ++evicted; });
    CHECK(push_numbered(queue, 10) == 10);
    CHECK(evicted == 6);
    const auto records = pop_all(queue);
    REQUIRE(records.size() == 4);
    CHECK(records.front().sequence == 7);
}

TEST_CASE("block waits for the consumer and loses nothing", "[queue]") {
    StoreQueue queue(16, OverflowPolicy::block);
    std::atomic<bool> producer_done{false};
    std::atomic<std::size_t> pushed{0};
    // Catch2 assertions are not thread-safe (ThreadSanitizer reports the race): the producer
    // only records what happened, the main thread checks it.
    std::thread producer([&] {
        pushed = push_numbered(queue, 1000);
        producer_done = true;
    });
    std::vector<StoreEvent> received;
    std::vector<StoreEvent> buffer(5);
    while (received.size() < 1000) {
        queue.wait_for_depth(1, std::chrono::steady_clock::now() + std::chrono::milliseconds(50));
        const std::size_t taken = queue.pop(buffer);
        received.insert(received.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(taken));
        CHECK(queue.depth() <= 16);
    }
    producer.join();
    CHECK(producer_done);
    CHECK(pushed == 1000);
    for (std::size_t index = 0; index < received.size(); ++index) {
        REQUIRE(received[index].sequence == index + 1);
    }
}

TEST_CASE("close releases a producer blocked on a full queue and keeps queued records", "[queue]") {
    StoreQueue queue(4, OverflowPolicy::block);
    std::size_t accepted = 0;
    std::thread producer([&] { accepted = push_numbered(queue, 10); });
    while (queue.depth() < 4) {
        std::this_thread::yield();
    }
    queue.close();
    producer.join();
    CHECK(accepted == 4);
    CHECK(queue.closed());
    CHECK(push_numbered(queue, 3) == 0);
    CHECK(pop_all(queue).size() == 4);
}

TEST_CASE("N producers and one consumer: every record arrives exactly once", "[queue][concurrency]") {
    const auto policy = GENERATE(OverflowPolicy::block, OverflowPolicy::drop_newest, OverflowPolicy::drop_oldest);
    constexpr std::uint32_t kProducers = 4;
    constexpr std::size_t kPerProducer = 200000;
    StoreQueue queue(1000, policy);
    std::atomic<std::uint64_t> evicted{0};
    queue.set_eviction_observer([&](const StoreEvent&) { evicted.fetch_add(1); });
    std::vector<std::size_t> accepted(kProducers, 0);
    std::vector<std::thread> producers;
    for (std::uint32_t provider = 0; provider < kProducers; ++provider) {
        producers.emplace_back([&, provider] {
            std::uint64_t next = 1;
            std::size_t total = 0;
            while (next <= kPerProducer) {
                const std::size_t batch = std::min<std::size_t>(1 + next % 97, kPerProducer - next + 1);
                const std::size_t taken = push_numbered(queue, batch, provider, next);
                total += taken;
                next += batch;  // rejected records keep their numbers: gaps are allowed, repeats are not
            }
            accepted[provider] = total;
        });
    }
    std::atomic<bool> producers_done{false};
    std::vector<std::uint64_t> last_seen(kProducers, 0);
    std::uint64_t received = 0;
    bool in_order = true;
    std::thread consumer([&] {
        std::vector<StoreEvent> buffer(500);
        while (true) {
            const bool finished = producers_done.load();
            queue.wait_for_depth(500, std::chrono::steady_clock::now() + std::chrono::milliseconds(5));
            const std::size_t taken = queue.pop(buffer);
            for (std::size_t index = 0; index < taken; ++index) {
                const auto& record = buffer[index];
                in_order = in_order && record.sequence > last_seen[record.provider_id];
                last_seen[record.provider_id] = record.sequence;
            }
            received += taken;
            if (finished && taken == 0 && queue.depth() == 0) {
                break;
            }
        }
    });
    for (auto& producer : producers) {
        producer.join();
    }
    producers_done = true;
    consumer.join();
    std::uint64_t total_accepted = 0;
    for (const auto count : accepted) {
        total_accepted += count;
    }
    CHECK(in_order);
    CHECK(received + evicted.load() == total_accepted);
    if (policy == OverflowPolicy::block) {
        CHECK(total_accepted == kProducers * kPerProducer);
        CHECK(evicted.load() == 0);
    }
}
