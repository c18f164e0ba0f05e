// The ABI's record layout. The static_asserts in abi_layout.h fail the build on any change;
// the checks below make the frozen numbers visible in the test report, and check what the
// SDK's builders put into the records.
#include "abi_layout.h"

#include <mdp/plugin.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <string>

TEST_CASE("ABI layout: event records have the frozen size and offsets", "[abi]") {
    CHECK(sizeof(mdp_event_t) == 120);
    CHECK(offsetof(mdp_event_t, symbol) == 24);
    CHECK(offsetof(mdp_event_t, body) == 56);
    CHECK(sizeof(mdp_quote_t) == 40);
    CHECK(sizeof(mdp_trade_t) == 48);
    CHECK(sizeof(mdp_bar_t) == 64);
    CHECK(sizeof(mdp_feedback_t) == 40);
    CHECK(sizeof(mdp_publish_result_t) == 24);
    CHECK(alignof(mdp_event_t) == 8);
}

TEST_CASE("ABI layout: function tables have the frozen size and offsets", "[abi]") {
    CHECK(sizeof(mdp_host_t) == 72);
    CHECK(sizeof(mdp_provider_t) == 48);
    CHECK(sizeof(mdp_provider_factory_t) == 16);
    CHECK(sizeof(mdp_plugin_descriptor_t) == 56);
    CHECK(MDP_PLUGIN_DESCRIPTOR_SIZE_1_0 == 48);
    CHECK(sizeof(mdp_plugin_entry_t) == 48);
    CHECK(offsetof(mdp_plugin_entry_t, get_factory) == 40);
}

TEST_CASE("ABI versioning: same major and an older or equal minor are compatible", "[abi]") {
    const mdp_abi_version_t host = MDP_ABI_VERSION_INIT;
    CHECK(mdp_abi_is_compatible(host, host));
    CHECK(mdp_abi_is_compatible(host, {MDP_ABI_VERSION_MAJOR, 0, 7}));
    CHECK_FALSE(mdp_abi_is_compatible(host, {MDP_ABI_VERSION_MAJOR, MDP_ABI_VERSION_MINOR + 1, 0}));
    CHECK_FALSE(mdp_abi_is_compatible(host, {MDP_ABI_VERSION_MAJOR + 1, 0, 0}));
    CHECK_FALSE(mdp_abi_is_compatible(host, {0, MDP_ABI_VERSION_MINOR, 0}));
}

TEST_CASE("SDK builders fill size, type, times and a terminated, truncated symbol", "[abi][sdk]") {
    const std::string long_symbol(40, 'X');
    const mdp_event_t quote = mdp::sdk::make_quote(long_symbol, 10, 20, {1.0, 2.0, 3.0, 4.0, NAN});
    CHECK(quote.size == sizeof(mdp_event_t));
    CHECK(quote.type == MDP_EVENT_QUOTE);
    CHECK(quote.event_time_ns == 10);
    CHECK(quote.receive_time_ns == 20);
    CHECK(std::string(quote.symbol) == std::string(MDP_SYMBOL_CAPACITY - 1, 'X'));
    CHECK(quote.body.quote.ask == 2.0);

    const mdp_event_t trade =
        mdp::sdk::make_trade("AAPL", 1, 2, 101.5, 300, "A-VERY-LONG-EXCHANGE-NAME", "@", MDP_EVENT_FLAG_DELAYED);
    CHECK(trade.type == MDP_EVENT_TRADE);
    CHECK(trade.flags == MDP_EVENT_FLAG_DELAYED);
    CHECK(std::strlen(trade.body.trade.exchange) == MDP_EXCHANGE_CAPACITY - 1);
    CHECK(std::string(trade.body.trade.conditions) == "@");

    mdp_bar_t bar{};
    bar.interval_ns = 60'000'000'000;
    bar.trade_count = 3;
    const mdp_event_t bar_event = mdp::sdk::make_bar("AAPL", 60'000'000'000, 120'000'000'001, bar);
    CHECK(bar_event.type == MDP_EVENT_BAR);
    CHECK(bar_event.body.bar.trade_count == 3);
    CHECK(bar_event.event_time_ns == 60'000'000'000);
}
