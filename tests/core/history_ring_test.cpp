// The status page's history: rates from counter differences over the measured interval, a
// fixed window, providers coming and going with reloads, and the sampler folding the queue's
// highest depth and level of an interval into its sample.
#include "app/history_ring.hpp"
#include "app/history_sampler.hpp"
#include "child_process.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using mdp::app::CounterReading;
using mdp::app::HistoryReading;
using mdp::app::HistoryRing;
using namespace std::chrono_literals;

namespace {

const auto kStart = std::chrono::steady_clock::time_point{} + 1000h;
constexpr std::int64_t kStartNs = 1'700'000'000'000'000'000;

// A reading `seconds` after kStart with the given provider totals and one sink "main".
HistoryReading reading_at(double seconds, std::vector<CounterReading> providers, std::uint64_t stored = 0) {
    HistoryReading reading;
    const auto offset = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(seconds));
    reading.taken_at = kStart + offset;
    reading.time_ns = kStartNs + offset.count();
    reading.providers = std::move(providers);
    reading.sinks = {{"main", stored}};
    return reading;
}

const mdp::status::RateSeries* series_named(const std::vector<mdp::status::RateSeries>& series,
                                            const std::string& name) {
    for (const auto& line : series) {
        if (line.name == name) {
            return &line;
        }
    }
    return nullptr;
}

}  // namespace

TEST_CASE("rates are counter differences over the measured interval, the first reading being the baseline",
          "[history]") {
    HistoryRing ring(4, 5000ms);
    ring.record(reading_at(0.0, {{"feed", 1000}}, 0));
    ring.record(reading_at(4.0, {{"feed", 1400}}, 200));  // a short interval: 4 s, not the nominal 5
    ring.record(reading_at(12.0, {{"feed", 2200}}, 1000));  // a late one: 8 s

    const auto history = ring.snapshot();
    CHECK(history.interval_seconds == 5.0);
    CHECK(history.max_samples == 4);
    REQUIRE(history.time_ns.size() == 3);
    CHECK(history.time_ns[1] - history.time_ns[0] == 4'000'000'000);
    const auto* feed = series_named(history.providers, "feed");
    REQUIRE(feed != nullptr);
    REQUIRE(feed->per_second.size() == 3);
    CHECK(std::isnan(feed->per_second[0]));
    CHECK(feed->per_second[1] == Approx(100.0));
    CHECK(feed->per_second[2] == Approx(100.0));
    const auto* main = series_named(history.sinks, "main");
    REQUIRE(main != nullptr);
    CHECK(main->per_second[1] == Approx(50.0));
    CHECK(main->per_second[2] == Approx(100.0));
}

TEST_CASE("the ring keeps the newest samples, oldest first", "[history]") {
    HistoryRing ring(3, 5000ms);
    for (int index = 0; index < 7; ++index) {
        HistoryReading reading =
            reading_at(5.0 * index, {{"feed", std::uint64_t{10} * static_cast<std::uint64_t>(index)}});
        reading.queue_depth = static_cast<std::uint64_t>(index);
        reading.level_value = index % 3;
        ring.record(reading);
    }
    const auto history = ring.snapshot();
    CHECK(history.queue_depth == std::vector<std::uint64_t>{4, 5, 6});
    CHECK(history.level_value == std::vector<int>{1, 2, 0});
    REQUIRE(history.time_ns.size() == 3);
    CHECK(history.time_ns[0] == kStartNs + 20'000'000'000);
    CHECK(history.providers.at(0).per_second == std::vector<double>{2.0, 2.0, 2.0});
}

TEST_CASE("a provider added by a reload joins without a rate for the samples before it", "[history]") {
    HistoryRing ring(5, 5000ms);
    ring.record(reading_at(0, {{"old", 0}}));
    ring.record(reading_at(5, {{"old", 50}}));
    ring.record(reading_at(10, {{"old", 100}, {"new", 7}}));
    ring.record(reading_at(15, {{"old", 150}, {"new", 57}}));
    const auto history = ring.snapshot();
    const auto* added = series_named(history.providers, "new");
    REQUIRE(added != nullptr);
    REQUIRE(added->per_second.size() == 4);
    CHECK(std::isnan(added->per_second[0]));
    CHECK(std::isnan(added->per_second[1]));
    CHECK(std::isnan(added->per_second[2]));  // its first reading is its baseline
    CHECK(added->per_second[3] == Approx(10.0));
    CHECK(history.providers.at(0).name == "old");  // order of first appearance
}

TEST_CASE("a removed provider stays until its last rate leaves the window", "[history]") {
    HistoryRing ring(3, 5000ms);
    ring.record(reading_at(0, {{"kept", 0}, {"gone", 0}}));
    ring.record(reading_at(5, {{"kept", 5}, {"gone", 10}}));
    ring.record(reading_at(10, {{"kept", 10}}));  // "gone" removed by a reload
    {
        const auto history = ring.snapshot();
        const auto* gone = series_named(history.providers, "gone");
        REQUIRE(gone != nullptr);
        CHECK(gone->per_second[1] == Approx(2.0));
        CHECK(std::isnan(gone->per_second[2]));
    }
    ring.record(reading_at(15, {{"kept", 15}}));
    CHECK(series_named(ring.snapshot().providers, "gone") != nullptr);  // its rate is still in the window
    ring.record(reading_at(20, {{"kept", 20}}));  // ... and now it is not
    const auto history = ring.snapshot();
    CHECK(series_named(history.providers, "gone") == nullptr);
    CHECK(history.providers.size() == 1);

    // Back under the same name: a new series with a new baseline, no rate from the old count.
    ring.record(reading_at(25, {{"kept", 25}, {"gone", 3}}));
    ring.record(reading_at(30, {{"kept", 30}, {"gone", 13}}));
    const auto after_return = ring.snapshot();
    const auto* back = series_named(after_return.providers, "gone");
    REQUIRE(back != nullptr);
    CHECK(std::isnan(back->per_second[1]));
    CHECK(back->per_second[2] == Approx(2.0));
}

TEST_CASE("a counter that goes backwards (a new instance under the same name) gives no rate", "[history]") {
    HistoryRing ring(4, 5000ms);
    ring.record(reading_at(0, {{"feed", 500}}));
    ring.record(reading_at(5, {{"feed", 20}}));
    ring.record(reading_at(10, {{"feed", 70}}));
    const auto history = ring.snapshot();
    const auto& rates = history.providers.at(0).per_second;
    CHECK(std::isnan(rates[1]));
    CHECK(rates[2] == Approx(10.0));
}

TEST_CASE("a ring of fewer than two samples is refused", "[history]") {
    CHECK_THROWS_AS(HistoryRing(1, 5000ms), std::invalid_argument);
}

TEST_CASE("the sampler's first reading holds the highest depth and level noted before it", "[history]") {
    HistoryRing ring(4, 5000ms);
    mdp::app::HistorySampler sampler(ring, 1h, [] {
        HistoryReading reading = reading_at(0, {{"feed", 0}});
        reading.queue_depth = 5;  // the depth at the reading itself is lower than the peak
        return reading;
    });
    sampler.note_queue(700, 1);
    sampler.note_queue(300, 2);
    sampler.start();
    REQUIRE(mdp::test::eventually([&] { return !ring.snapshot().time_ns.empty(); }, 10s));
    sampler.stop();  // returns at once although the next reading is an hour away
    const auto history = ring.snapshot();
    CHECK(history.queue_depth == std::vector<std::uint64_t>{700});
    CHECK(history.level_value == std::vector<int>{2});
}
