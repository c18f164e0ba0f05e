// Ticks to events: the quote state per contract, trades from RTVolume or last ticks, bars,
// delayed flags, and what "no data" looks like.

#include "codec/decode_error.hpp"
#include "codec/tick_types.hpp"
#include "config/ibkr_config.hpp"
#include "market_data/market_data_translator.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace mdp::ibkr;

namespace {

std::vector<ContractConfig> contracts() {
    const IbkrConfig config = parse_ibkr_config(R"({"contracts": ["AAPL", {"symbol": "EUR", "sec_type": "CASH"}]})");
    return config.contracts;
}

constexpr int kAapl = 1;  // request ids: contract index + 1
constexpr int kEur = 2;

}  // namespace

TEST_CASE("price and size ticks build one quote per visible change", "[ibkr][translator]") {
    MarketDataTranslator translator(contracts(), true);
    translator.begin_batch(1000);
    translator.on_tick_price({kAapl, tick::kBid, 150.5, 100, 0});
    translator.on_tick_size({kAapl, tick::kBidSize, 100});  // the duplicate TWS always sends
    translator.on_tick_price({kAapl, tick::kAsk, 150.6, 200, 0});
    translator.on_tick_size({kAapl, tick::kAskSize, 300});
    translator.on_tick_price({kAapl, tick::kHigh, 151.0, 0, 0});  // not part of a quote
    translator.on_tick_size({kAapl, tick::kVolume, 12345});
    const auto& batch = translator.batch();
    REQUIRE(batch.size() == 3);
    CHECK(std::string(batch[0].event.symbol) == "AAPL");
    CHECK(batch[0].event.type == MDP_EVENT_QUOTE);
    CHECK(batch[0].event.receive_time_ns == 1000);
    CHECK(batch[0].event.body.quote.bid == 150.5);
    CHECK(std::isnan(batch[0].event.body.quote.ask));
    CHECK(batch[1].event.body.quote.ask == 150.6);
    CHECK(batch[1].event.body.quote.ask_size == 200);
    CHECK(batch[2].event.body.quote.ask_size == 300);
    CHECK(batch[2].slot == 0);
    CHECK(translator.take_newly_streaming() == std::vector<std::size_t>{0});
    CHECK(translator.take_newly_streaming().empty());
}

TEST_CASE("a -1 price means no data and clears the side", "[ibkr][translator]") {
    MarketDataTranslator translator(contracts(), true);
    translator.on_tick_price({kAapl, tick::kBid, 150.5, 100, 0});
    translator.on_tick_price({kAapl, tick::kBid, -1, 0, 0});
    REQUIRE(translator.batch().size() == 2);
    CHECK(std::isnan(translator.batch()[1].event.body.quote.bid));
    CHECK(translator.batch()[1].event.body.quote.bid_size == 0);
}

TEST_CASE("RTVolume gives trades with the exchange time", "[ibkr][translator]") {
    MarketDataTranslator translator(contracts(), true);
    translator.begin_batch(5);
    translator.on_tick_string({kAapl, tick::kRtVolume, "701.28;1;1348075471534;67854;701.46918464;true"});
    translator.on_tick_string({kAapl, tick::kRtVolume, ";0;1348075471535;67854;701.46918464;true"});  // volume only
    translator.on_tick_price({kAapl, tick::kLast, 701.28, 1, 0});  // updates the quote's last, no second trade
    const auto& batch = translator.batch();
    REQUIRE(batch.size() == 2);
    CHECK(batch[0].event.type == MDP_EVENT_TRADE);
    CHECK(batch[0].event.body.trade.price == 701.28);
    CHECK(batch[0].event.body.trade.size == 1);
    CHECK(batch[0].event.event_time_ns == 1348075471534LL * 1'000'000);
    CHECK(batch[0].event.receive_time_ns == 5);
    CHECK(batch[1].event.type == MDP_EVENT_QUOTE);
    CHECK(batch[1].event.body.quote.last == 701.28);
    CHECK_THROWS_AS(translator.on_tick_string({kAapl, tick::kRtVolume, "garbage"}), DecodeError);
}

TEST_CASE("without RTVolume the last tick is the trade and carries the last exchange", "[ibkr][translator]") {
    MarketDataTranslator translator(contracts(), false);
    translator.on_tick_string({kAapl, tick::kLastExchange, "ARCA"});
    translator.on_tick_price({kAapl, tick::kLast, 99.5, 7, 0});
    translator.on_tick_string({kAapl, tick::kRtVolume, "99.5;7;1;1;1;true"});  // ignored in this mode
    const auto& batch = translator.batch();
    REQUIRE(batch.size() == 2);
    CHECK(batch[0].event.type == MDP_EVENT_TRADE);
    CHECK(batch[0].event.body.trade.price == 99.5);
    CHECK(batch[0].event.body.trade.size == 7);
    CHECK(std::string(batch[0].event.body.trade.exchange) == "ARCA");
    CHECK(batch[1].event.type == MDP_EVENT_QUOTE);
}

TEST_CASE("delayed ticks and delayed market data types set the delayed flag", "[ibkr][translator]") {
    MarketDataTranslator translator(contracts(), true);
    translator.on_tick_price({kAapl, tick::kDelayedBid, 10.0, 1, 0});
    translator.on_tick_price({kEur, tick::kBid, 1.08, 1, 0});
    translator.on_market_data_type({kEur, 3});
    translator.on_tick_price({kEur, tick::kAsk, 1.09, 1, 0});
    const auto& batch = translator.batch();
    REQUIRE(batch.size() == 3);
    CHECK((batch[0].event.flags & MDP_EVENT_FLAG_DELAYED) != 0);
    CHECK(batch[0].event.body.quote.bid == 10.0);
    CHECK(batch[1].event.flags == 0);
    CHECK(std::string(batch[1].event.symbol) == "EUR.USD");
    CHECK((batch[2].event.flags & MDP_EVENT_FLAG_DELAYED) != 0);
}

TEST_CASE("real-time bars become 5-second bar events", "[ibkr][translator]") {
    MarketDataTranslator translator(contracts(), true);
    RealTimeBar bar;
    bar.request_id = 1'000'001;
    bar.time_seconds = 1678323335;
    bar.open = 1.0;
    bar.high = 2.0;
    bar.low = 0.5;
    bar.close = 1.5;
    bar.volume = 10;
    bar.wap = 1.25;
    bar.count = 3;
    translator.on_real_time_bar(bar);
    REQUIRE(translator.batch().size() == 1);
    const mdp_event_t& event = translator.batch()[0].event;
    CHECK(event.type == MDP_EVENT_BAR);
    CHECK(std::string(event.symbol) == "EUR.USD");
    CHECK(event.event_time_ns == 1678323335LL * 1'000'000'000);
    CHECK(event.body.bar.interval_ns == 5'000'000'000LL);
    CHECK(event.body.bar.vwap == 1.25);
    CHECK(event.body.bar.trade_count == 3);
}

TEST_CASE("messages for unknown request ids are counted and ignored", "[ibkr][translator]") {
    MarketDataTranslator translator(contracts(), true);
    translator.on_tick_price({99, tick::kBid, 1.0, 1, 0});
    translator.on_tick_price({0, tick::kBid, 1.0, 1, 0});
    RealTimeBar bar;
    bar.request_id = 1'000'005;
    translator.on_real_time_bar(bar);
    CHECK(translator.batch().empty());
    CHECK(translator.messages_for_unknown_requests() == 3);
}

TEST_CASE("a new connection starts every quote afresh", "[ibkr][translator]") {
    MarketDataTranslator translator(contracts(), true);
    translator.on_tick_price({kAapl, tick::kBid, 1.0, 1, 0});
    translator.reset_quotes();
    CHECK(std::isnan(translator.quote(0).bid));
    translator.batch().clear();
    translator.on_tick_price({kAapl, tick::kBid, 1.0, 1, 0});
    CHECK(translator.batch().size() == 1);  // the same price is news after a reset
}

TEST_CASE("a contract added in place streams on its slot and a removed one is no longer published",
          "[ibkr][translator][reconfigure]") {
    MarketDataTranslator translator(contracts(), true);
    const IbkrConfig added = parse_ibkr_config(R"({"contracts": ["MSFT"]})");
    translator.add_contract(2, added.contracts[0]);  // slot 2: request ids 3 and 1000002
    translator.remove_contract(0);
    translator.on_tick_price({kAapl, tick::kBid, 150.5, 100, 0});  // sent before TWS took the cancel
    RealTimeBar removed_bar;
    removed_bar.request_id = 1'000'000;
    translator.on_real_time_bar(removed_bar);
    translator.on_tick_price({3, tick::kBid, 410.5, 7, 0});
    RealTimeBar bar;
    bar.request_id = 1'000'002;
    bar.time_seconds = 1705500000;
    translator.on_real_time_bar(bar);
    const auto& batch = translator.batch();
    REQUIRE(batch.size() == 2);
    CHECK(std::string(batch[0].event.symbol) == "MSFT");
    CHECK(batch[0].slot == 2);
    CHECK(std::string(batch[1].event.symbol) == "MSFT");
    CHECK(batch[1].event.type == MDP_EVENT_BAR);
    CHECK(translator.messages_for_unknown_requests() == 2);
    CHECK(translator.take_newly_streaming() == std::vector<std::size_t>{2});
}
