// Batches of synthetic events: exact counts, round-robin symbols, reproducible, and bars
// that aggregate exactly the trades generated in their interval.
#include "event_generator.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <map>
#include <string>
#include <vector>

using mdp::synthetic::EventGenerator;
using mdp::synthetic::GeneratorSettings;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kStart = 1'704'067'200LL * kSecond;  // a whole minute

GeneratorSettings settings_for(std::vector<std::string> symbols, std::vector<std::int64_t> bar_intervals_ns = {}) {
    GeneratorSettings settings;
    settings.symbols = std::move(symbols);
    settings.bar_intervals_ns = std::move(bar_intervals_ns);
    settings.batch_capacity = 256;
    settings.seed = 42;
    return settings;
}

std::vector<mdp_event_t> copy(std::span<const mdp_event_t> events) { return {events.begin(), events.end()}; }

}  // namespace

TEST_CASE("event generator: fills exactly the requested count, round-robin over the symbols",
          "[synthetic][generator]") {
    EventGenerator generator(settings_for({"AAA", "BBB", "CCC"}));
    const auto events = generator.fill(kStart, 99);
    REQUIRE(events.size() == 99);
    std::map<std::string, int> per_symbol;
    for (std::size_t index = 0; index < events.size(); ++index) {
        const mdp_event_t& event = events[index];
        REQUIRE(event.size == sizeof(mdp_event_t));
        REQUIRE((event.type == MDP_EVENT_QUOTE || event.type == MDP_EVENT_TRADE));
        REQUIRE(event.event_time_ns == kStart);
        REQUIRE(event.receive_time_ns == kStart);
        REQUIRE(std::string(event.symbol) == std::vector<std::string>{"AAA", "BBB", "CCC"}[index % 3]);
        ++per_symbol[event.symbol];
    }
    CHECK(per_symbol == std::map<std::string, int>{{"AAA", 33}, {"BBB", 33}, {"CCC", 33}});
    CHECK(generator.counts().quotes + generator.counts().trades == 99);
    // Never more than the batch capacity.
    CHECK(generator.fill(kStart, 100000).size() == 256);
}

TEST_CASE("event generator: the trade ratio splits quotes and trades", "[synthetic][generator]") {
    auto settings = settings_for({"AAA"});
    settings.trade_ratio = 0.25;
    EventGenerator generator(settings);
    for (int batch = 0; batch < 400; ++batch) {
        generator.fill(kStart, 250);
    }
    const double trades = static_cast<double>(generator.counts().trades);
    CHECK(trades / 100000.0 == Approx(0.25).margin(0.01));

    settings.trade_ratio = 0.0;
    EventGenerator quotes_only(settings);
    for (const auto& event : quotes_only.fill(kStart, 256)) {
        REQUIRE(event.type == MDP_EVENT_QUOTE);
        REQUIRE(event.body.quote.bid < event.body.quote.ask);
    }
    settings.trade_ratio = 1.0;
    EventGenerator trades_only(settings);
    for (const auto& event : trades_only.fill(kStart, 256)) {
        REQUIRE(event.type == MDP_EVENT_TRADE);
        REQUIRE(event.body.trade.price > 0.0);
    }
}

TEST_CASE("event generator: the same seed reproduces the same events", "[synthetic][generator]") {
    const auto settings = settings_for({"AAA", "BBB"}, {kSecond});
    EventGenerator first(settings);
    EventGenerator second(settings);
    for (int batch = 0; batch < 20; ++batch) {
        const std::int64_t now = kStart + batch * (kSecond / 4);
        const auto a = copy(first.fill(now, 100));
        const auto b = copy(second.fill(now, 100));
        REQUIRE(a.size() == b.size());
        REQUIRE(std::memcmp(a.data(), b.data(), a.size() * sizeof(mdp_event_t)) == 0);
    }
    auto other_settings = settings;
    other_settings.seed = 43;
    EventGenerator other(other_settings);
    EventGenerator again(settings);
    const auto a = copy(again.fill(kStart, 100));
    const auto c = copy(other.fill(kStart, 100));
    CHECK(std::memcmp(a.data(), c.data(), a.size() * sizeof(mdp_event_t)) != 0);
}

TEST_CASE("event generator: bars aggregate exactly the trades of their interval", "[synthetic][generator][bars]") {
    EventGenerator generator(settings_for({"AAA", "BBB"}, {kSecond, 2 * kSecond}));
    struct Expected {
        double open = 0, high = 0, low = 0, close = 0, volume = 0, notional = 0;
        std::int64_t count = 0;
    };
    // Expected bars keyed by (symbol, interval, start), built from the generated trades.
    std::map<std::tuple<std::string, std::int64_t, std::int64_t>, Expected> expected;
    std::vector<mdp_event_t> bars;
    // Eight batches per second for 4.5 seconds.
    for (int batch = 0; batch < 36; ++batch) {
        const std::int64_t now = kStart + batch * (kSecond / 8);
        for (const auto& event : generator.fill(now, 64)) {
            if (event.type == MDP_EVENT_BAR) {
                bars.push_back(event);
                continue;
            }
            if (event.type != MDP_EVENT_TRADE) {
                continue;
            }
            for (const std::int64_t interval : {kSecond, 2 * kSecond}) {
                const std::int64_t start = event.event_time_ns / interval * interval;
                Expected& bar = expected[{event.symbol, interval, start}];
                const double price = event.body.trade.price;
                if (bar.count == 0) {
                    bar.open = bar.high = bar.low = price;
                }
                bar.high = std::max(bar.high, price);
                bar.low = std::min(bar.low, price);
                bar.close = price;
                bar.volume += event.body.trade.size;
                bar.notional += price * event.body.trade.size;
                ++bar.count;
            }
        }
    }
    // Closed so far: 1 s bars for seconds 0..3 and 2 s bars for [0,2) and [2,4), per symbol.
    REQUIRE(bars.size() == std::size_t{2} * (4 + 2));
    CHECK(generator.counts().bars == bars.size());
    for (const auto& event : bars) {
        const mdp_bar_t& bar = event.body.bar;
        INFO("bar " << event.symbol << " interval " << bar.interval_ns << " start " << event.event_time_ns);
        REQUIRE(event.event_time_ns % bar.interval_ns == 0);
        REQUIRE(event.receive_time_ns >= event.event_time_ns + bar.interval_ns);  // emitted after it closed
        const auto found = expected.find({event.symbol, bar.interval_ns, event.event_time_ns});
        REQUIRE(found != expected.end());
        const Expected& want = found->second;
        CHECK(bar.open == want.open);
        CHECK(bar.high == want.high);
        CHECK(bar.low == want.low);
        CHECK(bar.close == want.close);
        CHECK(bar.volume == Approx(want.volume));
        CHECK(bar.vwap == Approx(want.notional / want.volume));
        CHECK(bar.trade_count == want.count);
    }
}

TEST_CASE("event generator: a bar that does not fit waits for the next batch", "[synthetic][generator][bars]") {
    auto settings = settings_for({"AAA"}, {kSecond, kSecond / 2});
    settings.trade_ratio = 1.0;
    EventGenerator generator(settings);
    generator.fill(kStart, 5);
    // Both bars (the 1 s and the 0.5 s one) are due; only one fits a batch of one.
    const auto first = copy(generator.fill(kStart + kSecond, 1));
    REQUIRE(first.size() == 1);
    CHECK(first[0].type == MDP_EVENT_BAR);  // closed bars come first
    CHECK(first[0].body.bar.trade_count == 5);
    const auto second = copy(generator.fill(kStart + kSecond, 1));
    REQUIRE(second.size() == 1);
    CHECK(second[0].type == MDP_EVENT_BAR);
    CHECK(second[0].body.bar.interval_ns != first[0].body.bar.interval_ns);
    const auto third = copy(generator.fill(kStart + kSecond, 1));
    REQUIRE(third.size() == 1);
    CHECK(third[0].type == MDP_EVENT_TRADE);
}

TEST_CASE("event generator: a paused symbol publishes nothing from its pause on, the others take its share",
          "[synthetic][generator]") {
    auto settings = settings_for({"AAA", "BBB", "CCC"});
    settings.pause_after_ns = {std::nullopt, std::optional<std::int64_t>(2 * kSecond), std::nullopt};
    EventGenerator generator(settings);
    std::map<std::string, int> before;
    for (const auto& event : generator.fill(kStart, 30)) {
        ++before[event.symbol];
    }
    CHECK(before == std::map<std::string, int>{{"AAA", 10}, {"BBB", 10}, {"CCC", 10}});
    std::map<std::string, int> after;
    for (const auto& event : generator.fill(kStart + 2 * kSecond, 30)) {
        ++after[event.symbol];
    }
    CHECK(after == std::map<std::string, int>{{"AAA", 15}, {"CCC", 15}});
}
