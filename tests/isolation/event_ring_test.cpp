// The shared-memory event ring of isolated providers (host/isolation/event_ring): order and
// content across wrap-arounds, blocking and dropping when full, release at the stop deadline,
// and the layout check of attach().

#include "isolation/event_ring.hpp"

#include <catch2/catch.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <thread>
#include <vector>

using mdp::isolation::EventRing;

namespace {

mdp_event_t numbered(std::int64_t number) {
    mdp_event_t event{};
    event.size = sizeof(event);
    event.type = MDP_EVENT_TRADE;
    event.event_time_ns = number;
    std::snprintf(event.symbol, sizeof(event.symbol), "S%lld", static_cast<long long>(number % 1000));
    event.body.trade.price = static_cast<double>(number);
    return event;
}

// The runner's view of `ring`: a second mapping through duplicated descriptors.
EventRing attached_to(const EventRing& ring) {
    return EventRing::attach(::dup(ring.memory_fd()), ::dup(ring.data_fd()), ::dup(ring.space_fd()));
}

}  // namespace

TEST_CASE("records cross the ring in order, intact, through many wrap-arounds with a blocked producer") {
    EventRing host = EventRing::create(64);
    EventRing runner = attached_to(host);
    constexpr std::int64_t kTotal = 200'000;
    std::thread producer([&runner] {
        std::vector<mdp_event_t> batch;
        std::int64_t next = 1;
        std::size_t batch_size = 1;
        while (next <= kTotal) {
            batch.clear();
            for (std::size_t index = 0; index < batch_size && next <= kTotal; ++index) {
                batch.push_back(numbered(next++));
            }
            REQUIRE(runner.publish(batch.data(), static_cast<std::uint32_t>(batch.size())) == batch.size());
            batch_size = batch_size % 150 + 1;  // batches up to twice the ring's size
        }
    });
    std::int64_t expected = 1;
    while (expected <= kTotal) {
        const EventRing::Readable readable = host.readable();
        if (readable.count == 0) {
            host.wait_for_data(std::chrono::milliseconds(100));
            continue;
        }
        for (std::uint32_t index = 0; index < readable.count; ++index) {
            const mdp_event_t& event = readable.records[index];
            const mdp_event_t want = numbered(expected++);
            REQUIRE(event.size == want.size);
            REQUIRE(event.type == want.type);
            REQUIRE(event.event_time_ns == want.event_time_ns);
            REQUIRE(std::string(event.symbol) == want.symbol);
            REQUIRE(event.body.trade.price == want.body.trade.price);
        }
        host.consume(readable.count);
    }
    producer.join();
    CHECK(host.readable().count == 0);
    CHECK(host.control().dropped_full.load() == 0);
}

TEST_CASE("a full ring under a drop policy takes what fits and counts the rest as dropped") {
    EventRing ring = EventRing::create(4);
    ring.control().block_when_full.store(0);
    std::vector<mdp_event_t> events;
    for (int number = 1; number <= 10; ++number) {
        events.push_back(numbered(number));
    }
    CHECK(ring.publish(events.data(), 10) == 4);
    CHECK(ring.control().dropped_full.load() == 6);
    const EventRing::Readable readable = ring.readable();
    REQUIRE(readable.count == 4);
    CHECK(readable.records[3].event_time_ns == 4);
}

TEST_CASE("a producer blocked on a full ring is let go when the host releases it, dropping the rest") {
    EventRing ring = EventRing::create(2);
    std::vector<mdp_event_t> events{numbered(1), numbered(2), numbered(3)};
    std::uint32_t taken = 0;
    std::thread producer([&] { taken = ring.publish(events.data(), 3); });
    // The producer has filled the ring and waits for the third slot: release it.
    while (ring.control().tail.load() != 2) {
        std::this_thread::yield();
    }
    ring.control().released.store(1);
    ring.wake_producer();
    producer.join();
    CHECK(taken == 2);
    CHECK(ring.control().dropped_full.load() == 1);
}

TEST_CASE("records with a longer stride are copied record by record and stored at this build's size") {
    struct Longer {
        mdp_event_t event;
        char tail[24];
    };
    EventRing ring = EventRing::create(8);
    std::vector<Longer> events(3);
    for (std::size_t index = 0; index < events.size(); ++index) {
        events[index].event = numbered(static_cast<std::int64_t>(index) + 1);
        events[index].event.size = sizeof(Longer);
    }
    CHECK(ring.publish(&events[0].event, 3) == 3);
    const EventRing::Readable readable = ring.readable();
    REQUIRE(readable.count == 3);
    CHECK(readable.records[2].event_time_ns == 3);
    CHECK(readable.records[2].size == sizeof(mdp_event_t));
}

TEST_CASE("attach refuses a descriptor that does not hold a ring of this layout") {
    const int memory_fd = ::memfd_create("not-a-ring", MFD_CLOEXEC);
    REQUIRE(memory_fd >= 0);
    REQUIRE(::ftruncate(memory_fd, 1 << 16) == 0);
    CHECK_THROWS_WITH(EventRing::attach(memory_fd, -1, -1), Catch::Contains("layout is not this build's"));
}

TEST_CASE("a record's identity crosses beside it: origin index, origin sequence and the origin's texts") {
    EventRing host = EventRing::create(8);
    EventRing runner = attached_to(host);
    std::snprintf(runner.origin_text(3).provider.data(), runner.origin_text(3).provider.size(), "ingest-a");
    std::snprintf(runner.origin_text(3).run_id.data(), runner.origin_text(3).run_id.size(), "run-7");
    const std::vector<mdp_event_t> events{numbered(1), numbered(2), numbered(3)};
    const std::vector<std::uint64_t> origin_sequences{41, 42};
    std::uint64_t position = 99;
    CHECK(runner.publish(events.data(), 1, {}, &position) == 1);
    CHECK(position == 0);
    CHECK(runner.publish(&events[1], 2, {3, origin_sequences.data()}, &position) == 2);
    CHECK(position == 1);
    const EventRing::Readable readable = host.readable();
    REQUIRE(readable.count == 3);
    CHECK(readable.position == 0);
    CHECK(readable.origin_indexes[0] == 0);
    CHECK(readable.origin_indexes[1] == 3);
    CHECK(readable.origin_indexes[2] == 3);
    CHECK(readable.origin_sequences[1] == 41);
    CHECK(readable.origin_sequences[2] == 42);
    CHECK(std::string(host.origin_text(3).provider.data()) == "ingest-a");
    CHECK(std::string(host.origin_text(3).run_id.data()) == "run-7");
}

TEST_CASE("settled ranges cross back in order, and a full settlement ring refuses until the runner took them") {
    using mdp::pipeline::SettledRange;
    using mdp::pipeline::Settlement;
    EventRing host = EventRing::create(8);
    EventRing runner = attached_to(host);
    std::uint64_t next = 1;
    for (std::uint32_t index = 0; index < mdp::isolation::kSettledSlots; ++index, next += 2) {
        REQUIRE(host.post_settled({next, next + 1, index % 2 == 0 ? Settlement::stored : Settlement::dropped}));
    }
    CHECK_FALSE(host.post_settled({next, next, Settlement::stored}));
    std::vector<SettledRange> ranges;
    runner.take_settled(ranges);
    REQUIRE(ranges.size() == mdp::isolation::kSettledSlots);
    CHECK(ranges.front().first == 1);
    CHECK(ranges.back().last == next - 1);
    CHECK(ranges[1].outcome == Settlement::dropped);
    CHECK(host.post_settled({next, next, Settlement::stored}));
    const std::uint32_t seen = runner.control().settled_signal.load();
    std::thread poster([&] { host.wake_settled(); });
    runner.wait_settled(seen, std::chrono::seconds(10));  // returns at once once woken
    poster.join();
    ranges.clear();
    runner.take_settled(ranges);
    REQUIRE(ranges.size() == 1);
    CHECK(ranges[0].first == next);
}
