// The conflating hand-off buffer under each rate scale: order at 1.0, conflation at 0.5,
// holding at 0.0, and bounded memory with counted drops when full.

#include "market_data/outbound_buffer.hpp"

#include <mdp/plugin.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

using namespace mdp::ibkr;
using namespace std::chrono_literals;
using Clock = OutboundBuffer::Clock;

namespace {

OutboundEvent quote(std::uint32_t slot, double bid) {
    mdp_quote_t body{bid, bid + 0.01, 100, 100, bid};
    return {mdp::sdk::make_quote("S" + std::to_string(slot), 0, 0, body), slot};
}

OutboundEvent trade(std::uint32_t slot, double price) {
    return {mdp::sdk::make_trade("S" + std::to_string(slot), 0, 0, price, 1, "", ""), slot};
}

OutboundEvent bar(std::uint32_t slot) {
    mdp_bar_t body{};
    body.interval_ns = 5'000'000'000;
    return {mdp::sdk::make_bar("S" + std::to_string(slot), 0, 0, body), slot};
}

std::vector<mdp_event_t> take(OutboundBuffer& buffer, double scale, Clock::time_point now) {
    std::vector<mdp_event_t> out;
    buffer.take_publishable(out, scale, now);
    return out;
}

}  // namespace

TEST_CASE("at scale 1 everything flows in order", "[ibkr][buffer]") {
    OutboundBuffer buffer(2, 100, 1s);
    const auto now = Clock::now();
    const std::vector<OutboundEvent> events = {quote(0, 1.0), trade(0, 1.5), quote(1, 2.0), quote(0, 1.1), bar(1)};
    buffer.push(events, 1.0, now);
    const auto out = take(buffer, 1.0, now);
    REQUIRE(out.size() == 5);
    CHECK(out[0].body.quote.bid == 1.0);
    CHECK(out[1].type == MDP_EVENT_TRADE);
    CHECK(out[2].body.quote.bid == 2.0);
    CHECK(out[3].body.quote.bid == 1.1);
    CHECK(out[4].type == MDP_EVENT_BAR);
    const auto counters = buffer.counters();
    CHECK(counters.pushed == 5);
    CHECK(counters.released == 5);
    CHECK(counters.quotes_conflated == 0);
}

TEST_CASE("a full buffer at scale 1 conflates quotes and counts dropped trades", "[ibkr][buffer]") {
    OutboundBuffer buffer(2, 3, 1s);
    const auto now = Clock::now();
    std::vector<OutboundEvent> events = {trade(0, 1), trade(0, 2), trade(0, 3)};  // fills the FIFO
    for (int index = 0; index < 10; ++index) {
        events.push_back(quote(0, 10.0 + index));
        events.push_back(trade(1, 100.0 + index));
    }
    events.push_back(bar(1));
    buffer.push(events, 1.0, now);
    const auto counters = buffer.counters();
    CHECK(counters.queued == 3);
    CHECK(counters.dropped_trades == 10);
    CHECK(counters.dropped_bars == 1);
    CHECK(counters.quotes_conflated == 9);
    CHECK(counters.held_quotes == 1);
    const auto out = take(buffer, 1.0, now);
    REQUIRE(out.size() == 4);
    CHECK(out[3].type == MDP_EVENT_QUOTE);
    CHECK(out[3].body.quote.bid == 19.0);  // the latest wins
}

TEST_CASE("a newer quote in the FIFO supersedes a held one", "[ibkr][buffer]") {
    OutboundBuffer buffer(1, 1, 1s);
    const auto now = Clock::now();
    const std::vector<OutboundEvent> first = {trade(0, 1), quote(0, 5.0)};  // FIFO full: the quote is held
    buffer.push(first, 1.0, now);
    auto out = take(buffer, 1.0, now);  // releases the trade and the held quote
    REQUIRE(out.size() == 2);
    const std::vector<OutboundEvent> second = {trade(0, 2), quote(0, 6.0)};
    buffer.push(second, 1.0, now);  // held again
    out.clear();
    buffer.take_publishable(out, 1.0, now);  // trade + held 6.0
    const std::vector<OutboundEvent> fourth = {quote(0, 7.0)};
    buffer.push(fourth, 1.0, now);  // room again: goes to the FIFO
    out = take(buffer, 1.0, now);
    REQUIRE(out.size() == 1);
    CHECK(out[0].body.quote.bid == 7.0);
}

TEST_CASE("at scale 0 nothing is released and memory stays bounded", "[ibkr][buffer]") {
    OutboundBuffer buffer(3, 50, 1s);
    auto now = Clock::now();
    for (int round = 0; round < 1000; ++round) {
        std::vector<OutboundEvent> events;
        for (std::uint32_t slot = 0; slot < 3; ++slot) {
            events.push_back(quote(slot, round + slot / 10.0));
            events.push_back(trade(slot, round));
        }
        buffer.push(events, 0.0, now);
        CHECK(take(buffer, 0.0, now).empty());
        now += 1ms;
    }
    const auto counters = buffer.counters();
    CHECK(counters.queued == 50);
    CHECK(counters.held_quotes == 3);
    CHECK(counters.dropped_trades == 3000 - 50);
    CHECK(counters.quotes_conflated == 3000 - 3);
    // When the scale rises, the held events go out: the trades that fitted and the latest
    // quote of each symbol.
    const auto out = take(buffer, 1.0, now);
    REQUIRE(out.size() == 53);
    int quotes = 0;
    for (const auto& event : out) {
        if (event.type == MDP_EVENT_QUOTE) {
            ++quotes;
            CHECK(event.body.quote.bid >= 999.0);
        }
    }
    CHECK(quotes == 3);
}

TEST_CASE("at scale 0.5 each symbol's quotes are released at half its update rate", "[ibkr][buffer]") {
    OutboundBuffer buffer(2, 10000, 1s);
    auto now = Clock::now();
    std::size_t released_quotes = 0;
    std::size_t released_trades = 0;
    // 100 updates/s per symbol for 10 s of simulated time, plus a trade every 10th step.
    for (int step = 0; step < 1000; ++step) {
        std::vector<OutboundEvent> events = {quote(0, step), quote(1, step)};
        if (step % 10 == 0) {
            events.push_back(trade(0, step));
        }
        buffer.push(events, 0.5, now);
        for (const auto& event : take(buffer, 0.5, now)) {
            (event.type == MDP_EVENT_QUOTE ? released_quotes : released_trades) += 1;
        }
        now += 10ms;
    }
    CHECK(released_trades == 100);  // trades are not conflated
    // 2000 quote updates at half rate: about 1000, after the first second's estimate.
    CHECK(released_quotes >= 850);
    CHECK(released_quotes <= 1050);
    CHECK(buffer.counters().quotes_conflated >= 900);
}

TEST_CASE("a held quote is released within max_quote_hold even without further updates", "[ibkr][buffer]") {
    OutboundBuffer buffer(1, 100, 200ms);
    auto now = Clock::now();
    const std::vector<OutboundEvent> first = {quote(0, 1.0)};
    buffer.push(first, 0.5, now);
    CHECK(take(buffer, 0.5, now).size() == 1);  // the first quote of a symbol goes at once
    const std::vector<OutboundEvent> second = {quote(0, 2.0)};
    buffer.push(second, 0.5, now + 1ms);
    std::vector<mdp_event_t> out;
    const auto due = buffer.take_publishable(out, 0.5, now + 1ms);
    CHECK(out.empty());
    CHECK(due <= now + 200ms);
    CHECK(take(buffer, 0.5, due).size() == 1);
}

TEST_CASE("take_all flushes everything whatever the scale", "[ibkr][buffer]") {
    OutboundBuffer buffer(2, 10, 1s);
    const auto now = Clock::now();
    const std::vector<OutboundEvent> events = {quote(0, 1), quote(0, 2), quote(1, 3), trade(0, 4)};
    buffer.push(events, 0.0, now);
    std::vector<mdp_event_t> out;
    buffer.take_all(out);
    CHECK(out.size() == 3);
    CHECK(buffer.counters().held_quotes == 0);
    CHECK(buffer.counters().queued == 0);
}
