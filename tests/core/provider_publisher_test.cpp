// The parts of a provider instance on their own: the publish path (ProviderPublisher) into a
// real store queue, the identity checks, the C services table's trampolines, and the events/s
// sampler.

#include "plugins/event_rate_sampler.hpp"
#include "plugins/host_services_table.hpp"
#include "plugins/provider_publisher.hpp"
#include "plugins/publish_identity.hpp"
#include "common/clock.hpp"
#include "common/event_type.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace mdp {
namespace {

using pipeline::DropReason;

constexpr std::size_t kCapacity = 8;

// A publisher on its own queue and controller, the way ProviderRegistry wires one.
struct PublishBench {
    explicit PublishBench(config::OverflowPolicy policy = config::OverflowPolicy::drop_newest)
        : queue(kCapacity, policy), controller(kCapacity, pipeline::watermarks_for(kCapacity, 0.5, 0.8), "test",
                                               [this] { return queue.depth(); }),
          publisher(7, "bench", plugins::PublishTarget{&queue, &controller, nullptr, &origins}, rate_scale) {}

    std::vector<pipeline::StoreEvent> drain() {
        std::vector<pipeline::StoreEvent> out(kCapacity);
        out.resize(queue.pop(out));
        return out;
    }

    std::atomic<double> rate_scale{0.5};
    pipeline::EventOrigins origins;
    pipeline::StoreQueue queue;
    pipeline::BackpressureController controller;
    plugins::ProviderPublisher publisher;
};

mdp_event_t event_of(std::uint16_t type, const char* symbol) {
    mdp_event_t event{};
    event.size = sizeof(event);
    event.type = type;
    std::strncpy(event.symbol, symbol, MDP_SYMBOL_CAPACITY - 1);
    return event;
}

mdp_publish_result_t empty_result() {
    mdp_publish_result_t result{};
    result.size = sizeof(result);
    return result;
}

mdp_event_origin_t origin_of(const char* provider, const char* run_id) {
    mdp_event_origin_t origin{};
    origin.size = sizeof(origin);
    origin.provider = provider;
    origin.run_id = run_id;
    return origin;
}

}  // namespace

TEST_CASE("publisher numbers records, counts them by type and fills the result", "[publisher]") {
    PublishBench bench;
    const std::array events{event_of(MDP_EVENT_QUOTE, "AAA"), event_of(MDP_EVENT_TRADE, "BBB"),
                            event_of(MDP_EVENT_QUOTE, "CCC")};
    mdp_publish_result_t result = empty_result();
    std::uint64_t first_sequence = 99;
    CHECK(bench.publisher.publish(events.data(), 3, &result, &first_sequence) == MDP_OK);
    CHECK(result.accepted == 3);
    CHECK(result.rate_scale == 0.5);
    CHECK(first_sequence == 1);
    CHECK(bench.publisher.published(common::EventType::quote) == 2);
    CHECK(bench.publisher.published(common::EventType::trade) == 1);
    CHECK(bench.publisher.published(common::EventType::bar) == 0);
    CHECK(bench.publisher.published_total() == 3);

    const auto stored = bench.drain();
    REQUIRE(stored.size() == 3);
    for (std::size_t index = 0; index < stored.size(); ++index) {
        CHECK(stored[index].sequence == index + 1);
        CHECK(stored[index].provider_id == 7);
        CHECK(stored[index].origin_id == 0);
    }
    CHECK(std::string(stored[2].event.symbol) == "CCC");

    CHECK(bench.publisher.publish(events.data(), 1, nullptr, &first_sequence) == MDP_OK);
    CHECK(first_sequence == 4);
}

TEST_CASE("publisher drops a call with an unknown type or unreadable records as invalid", "[publisher]") {
    PublishBench bench;
    const std::array events{event_of(MDP_EVENT_QUOTE, "AAA"), event_of(42, "BBB")};
    mdp_publish_result_t result = empty_result();
    std::uint64_t first_sequence = 99;
    CHECK(bench.publisher.publish(events.data(), 2, &result, &first_sequence) == MDP_OK);
    CHECK(result.accepted == 0);
    CHECK(first_sequence == 0);
    CHECK(bench.publisher.dropped(DropReason::invalid) == 2);

    mdp_event_t short_record = event_of(MDP_EVENT_QUOTE, "AAA");
    short_record.size = 8;
    CHECK(bench.publisher.publish(&short_record, 1, &result, nullptr) == MDP_ERROR);
    CHECK(bench.publisher.publish(nullptr, 4, &result, nullptr) == MDP_ERROR);
    CHECK(bench.publisher.dropped(DropReason::invalid) == 7);
    CHECK(bench.publisher.published_total() == 0);
    CHECK(bench.drain().empty());
}

TEST_CASE("publisher counts what a full queue refuses as queue_full_newest", "[publisher]") {
    PublishBench bench;
    const std::vector<mdp_event_t> events(kCapacity + 3, event_of(MDP_EVENT_BAR, "AAA"));
    mdp_publish_result_t result = empty_result();
    CHECK(bench.publisher.publish(events.data(), static_cast<std::uint32_t>(events.size()), &result, nullptr) ==
          MDP_OK);
    CHECK(result.accepted == kCapacity);
    CHECK(bench.publisher.dropped(DropReason::queue_full_newest) == 3);
}

TEST_CASE("released publisher does not wait for space in a full blocking queue", "[publisher]") {
    PublishBench bench(config::OverflowPolicy::block);
    const std::vector<mdp_event_t> events(kCapacity + 2, event_of(MDP_EVENT_QUOTE, "AAA"));
    bench.publisher.release_waiting();
    mdp_publish_result_t result = empty_result();
    // Without the release this call would wait for a consumer that never comes.
    CHECK(bench.publisher.publish(events.data(), static_cast<std::uint32_t>(events.size()), &result, nullptr) ==
          MDP_OK);
    CHECK(result.accepted == kCapacity);
    CHECK(bench.publisher.dropped(DropReason::shutdown) == 2);
    CHECK(bench.publisher.dropped(DropReason::queue_full_newest) == 0);
}

TEST_CASE("publisher with an identity stores the origin and its sequences", "[publisher]") {
    PublishBench bench;
    const std::array events{event_of(MDP_EVENT_QUOTE, "AAA"), event_of(MDP_EVENT_QUOTE, "BBB")};
    const std::array<std::uint64_t, 2> origin_sequences{10, 11};
    const mdp_event_origin_t origin = origin_of("upstream", "run-1");
    mdp_publish_result_t result = empty_result();
    CHECK(bench.publisher.publish_identified(&origin, events.data(), origin_sequences.data(), 2, &result, nullptr) ==
          MDP_OK);
    CHECK(result.accepted == 2);
    const auto stored = bench.drain();
    REQUIRE(stored.size() == 2);
    CHECK(stored[0].origin_id != 0);
    CHECK(stored[1].origin_sequence == 11);

    const std::array<std::uint64_t, 2> bad_sequences{10, 0};
    CHECK(bench.publisher.publish_identified(&origin, events.data(), bad_sequences.data(), 2, &result, nullptr) ==
          MDP_ERROR);
    CHECK(result.accepted == 0);
    CHECK(bench.publisher.dropped(DropReason::invalid) == 2);
}

TEST_CASE("identity_problem names what is wrong with an identity", "[publisher]") {
    const std::array<std::uint64_t, 2> sequences{1, plugins::kMaxOriginSequence};
    const mdp_event_origin_t good = origin_of("upstream", "run-1");
    CHECK(plugins::identity_problem(&good, sequences.data(), 2).empty());
    CHECK(plugins::identity_problem(nullptr, sequences.data(), 2) ==
          "the origin is missing or smaller than mdp_event_origin_t");
    const mdp_event_origin_t no_provider = origin_of("", "run-1");
    CHECK(plugins::identity_problem(&no_provider, sequences.data(), 2).starts_with("the origin provider name "));
    const mdp_event_origin_t no_run = origin_of("upstream", nullptr);
    CHECK(plugins::identity_problem(&no_run, sequences.data(), 2).starts_with("the origin run id "));
    CHECK(plugins::identity_problem(&good, nullptr, 2) == "origin_sequences is NULL");
    const std::array<std::uint64_t, 2> too_big{1, plugins::kMaxOriginSequence + 1};
    CHECK(plugins::identity_problem(&good, too_big.data(), 2) ==
          "origin_sequences[1] is 9223372036854775808, expected 1 to 2^63-1");
}

namespace {

// The instance's side of the table, recording what the trampolines pass on.
struct RecordingOwner final : plugins::HostServicesOwner {
    [[nodiscard]] const std::string& provider_name() const override { return name; }
    [[nodiscard]] double rate_scale() const override { return 0.25; }
    void report_state(plugins::ProviderState state, const std::string& detail) override {
        reports.emplace_back(state, detail);
    }
    std::string name = "table-test";
    std::vector<std::pair<plugins::ProviderState, std::string>> reports;
};

}  // namespace

TEST_CASE("host services table passes plugin calls on to its parts", "[publisher]") {
    PublishBench bench;
    RecordingOwner owner;
    plugins::HostExtensions extensions("", config::ShardConfig{});
    plugins::HostServicesTable services(owner, bench.publisher, extensions);
    const mdp_host_t* host = services.table();
    REQUIRE(host->size == sizeof(mdp_host_t));

    CHECK(host->rate_scale(host) == 0.25);
    host->report_state(host, MDP_STATE_DEGRADED, "reconnecting");
    host->report_state(host, MDP_STATE_STOPPED, "not reportable");
    REQUIRE(owner.reports.size() == 1);
    CHECK(owner.reports[0].first == plugins::ProviderState::degraded);
    CHECK(owner.reports[0].second == "reconnecting");

    const auto events = std::array{event_of(MDP_EVENT_TRADE, "AAA")};
    mdp_publish_result_t result = empty_result();
    CHECK(host->publish(host, events.data(), 1, &result) == MDP_OK);
    CHECK(result.accepted == 1);
    CHECK(bench.publisher.published(common::EventType::trade) == 1);

    // No stored acks in this target, so only publishing with an identity is offered.
    CHECK(host->get_extension(host, MDP_HOST_STORED_ACKS_ID) == nullptr);
    CHECK(host->get_extension(host, MDP_HOST_PUBLISH_IDENTIFIED_ID) != nullptr);
    CHECK(&plugins::host_extensions_of(host) == &extensions);
}

TEST_CASE("the bar operator's bars are queued as the provider's own events, numbered after its ticks",
          "[publisher][bars]") {
    PublishBench bench(config::OverflowPolicy::drop_newest);
    constexpr std::int64_t kDay = std::int64_t{86'400} * 1'000'000'000;
    config::BarsConfig bars;
    bars.intervals_ns = {kDay};
    CHECK(bench.publisher.configure_bars(bars));
    // Live ticks of today's bar (UTC): not late before tomorrow plus the grace.
    const std::int64_t now_ns = common::utc_now_ns();
    const std::int64_t today_ns = now_ns / kDay * kDay;
    auto first = event_of(MDP_EVENT_TRADE, "AAA");
    first.event_time_ns = today_ns + (now_ns - today_ns) / 2;
    first.body.trade = {10.0, 3.0, "X", ""};
    auto second = first;
    second.event_time_ns = first.event_time_ns + 1;
    second.body.trade.price = 20.0;
    second.body.trade.size = 1.0;
    const std::array ticks{first, event_of(MDP_EVENT_QUOTE, "AAA"), second};
    mdp_publish_result_t result = empty_result();
    CHECK(bench.publisher.publish(ticks.data(), 3, &result, nullptr) == MDP_OK);
    // Forwarded with an identity: stored, but its bars were built where it was first published.
    const mdp_event_origin_t origin = origin_of("upstream", "run-1");
    const std::array<std::uint64_t, 1> origin_sequences{41};
    CHECK(bench.publisher.publish_identified(&origin, &first, origin_sequences.data(), 1, &result, nullptr) == MDP_OK);
    CHECK(bench.publisher.close_due_bars(common::utc_now_ns()) == today_ns + kDay + bars.grace_ms * 1'000'000);
    bench.publisher.flush_bars();

    const auto stored = bench.drain();
    REQUIRE(stored.size() == 5);
    const pipeline::StoreEvent& bar = stored[4];
    CHECK(bar.event.type == MDP_EVENT_BAR);
    CHECK(bar.provider_id == 7);
    CHECK(bar.sequence == 5);  // the provider's numbering goes on: same queue, same identity rules
    CHECK(bar.origin_id == 0);
    CHECK(std::string(bar.event.symbol) == "AAA");
    CHECK(bar.event.event_time_ns == today_ns);
    CHECK(bar.event.body.bar.trade_count == 2);
    CHECK(bar.event.body.bar.volume == 4.0);
    CHECK(bar.event.body.bar.vwap == Approx(12.5));
    CHECK(bench.publisher.published(common::EventType::bar) == 1);
    CHECK(bench.publisher.bars().ignored(pipeline::IgnoredTick::late) == 0);
}

TEST_CASE("bars the queue refuses are counted as dropped like any event", "[publisher][bars]") {
    PublishBench bench(config::OverflowPolicy::drop_newest);
    constexpr std::int64_t kDay = std::int64_t{86'400} * 1'000'000'000;
    config::BarsConfig bars;
    bars.intervals_ns = {kDay};
    bench.publisher.configure_bars(bars);
    std::array<mdp_event_t, kCapacity> ticks{};
    const std::int64_t now_ns = common::utc_now_ns();
    for (auto& tick : ticks) {
        tick = event_of(MDP_EVENT_TRADE, "AAA");
        tick.event_time_ns = now_ns;
        tick.body.trade.price = 1.0;
    }
    CHECK(bench.publisher.publish(ticks.data(), kCapacity, nullptr, nullptr) == MDP_OK);
    bench.publisher.flush_bars();  // the queue is full: drop_newest refuses the bar
    CHECK(bench.publisher.dropped(DropReason::queue_full_newest) == 1);
    CHECK(bench.drain().size() == kCapacity);
}

TEST_CASE("concurrent publishers and the bar timer: every tick is in exactly one bar or counted late",
          "[publisher][bars]") {
    constexpr std::size_t kTicksPerThread = 20000;
    constexpr std::size_t kQueueCapacity = 4 * kTicksPerThread;  // room for every tick and bar
    std::atomic<double> rate_scale{1.0};
    pipeline::EventOrigins origins;
    pipeline::StoreQueue queue(kQueueCapacity, config::OverflowPolicy::drop_newest);
    pipeline::BackpressureController controller(kQueueCapacity, pipeline::watermarks_for(kQueueCapacity, 0.5, 0.8),
                                                "test", [&queue] { return queue.depth(); });
    plugins::ProviderPublisher publisher(3, "racer", plugins::PublishTarget{&queue, &controller, nullptr, &origins},
                                         rate_scale);
    config::BarsConfig bars;
    bars.intervals_ns = {10'000'000};  // 10 ms bars: many close while the threads run...
    bars.grace_ms = 0;  // ...and ticks that straddle a boundary may be late
    CHECK(publisher.configure_bars(bars));

    std::atomic<bool> publishing{true};
    std::thread timer([&] {
        while (publishing.load()) {
            publisher.close_due_bars(common::utc_now_ns());
            std::this_thread::yield();
        }
    });
    const auto publish_ticks = [&](const char* symbol) {
        for (std::size_t index = 0; index < kTicksPerThread; ++index) {
            auto tick = event_of(MDP_EVENT_TRADE, symbol);
            tick.event_time_ns = common::utc_now_ns();
            tick.body.trade.price = 1.0 + static_cast<double>(index % 7);
            tick.body.trade.size = 1.0;
            publisher.publish(&tick, 1, nullptr, nullptr);
        }
    };
    std::thread first(publish_ticks, "AAA");
    std::thread second(publish_ticks, "AAA");  // the same symbol from two threads
    first.join();
    second.join();
    publishing.store(false);
    timer.join();
    publisher.flush_bars();

    std::vector<pipeline::StoreEvent> stored(kQueueCapacity);
    stored.resize(queue.pop(stored));
    std::uint64_t ticks_in_bars = 0;
    std::uint64_t bar_records = 0;
    for (const auto& record : stored) {
        if (record.event.type == MDP_EVENT_BAR) {
            ticks_in_bars += static_cast<std::uint64_t>(record.event.body.bar.trade_count);
            ++bar_records;
        }
    }
    CHECK(publisher.dropped(DropReason::queue_full_newest) == 0);
    CHECK(bar_records == publisher.published(common::EventType::bar));
    CHECK(ticks_in_bars + publisher.bars().ignored(pipeline::IgnoredTick::late) == 2 * kTicksPerThread);
    CHECK(publisher.bars().ignored(pipeline::IgnoredTick::future) == 0);
}

TEST_CASE("events/s sampler re-samples at most once a second", "[publisher]") {
    plugins::EventRateSampler sampler;
    const auto start = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    CHECK(sampler.per_second(100, start) > 0.0);
    const double first = sampler.per_second(100, start);
    CHECK(sampler.per_second(500, start + std::chrono::milliseconds(500)) == first);
    CHECK(sampler.per_second(500, start + std::chrono::seconds(2)) == Approx(200.0));
}

}  // namespace mdp
