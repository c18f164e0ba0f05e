// The ibkr provider against mdp-fake-tws streaming, inside the real mdp-host, stopped by
// SIGTERM and restarted/stopped over the control API: what the provider read from the
// gateway and handed to the host (its conflation buffer is flushed in stop()) is stored,
// and nothing is dropped for any reason.

#include "host_fixture.hpp"
#include "lifecycle_host.hpp"
#include "sqlite_reader.hpp"

#include <catch2/catch.hpp>

#include <regex>

using mdp::test::eventually;
using mdp::test::LifecycleHost;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// The provider's own accounting, one "ibkr summary:" line per stop() (restarts included).
struct ProviderAccounting {
    std::uint64_t stops = 0;
    std::uint64_t decoded_quotes = 0, decoded_trades = 0, decoded_bars = 0;
    std::uint64_t accepted = 0, conflated = 0, dropped = 0;
};

ProviderAccounting provider_accounting(const std::string& log) {
    const std::regex pattern(
        R"(ibkr summary: decoded (\d+) quotes, (\d+) trades, (\d+) bars; accepted by the host (\d+); quotes conflated (\d+); dropped \(buffer full\) (\d+) trades, (\d+) bars)");
    ProviderAccounting total;
    for (auto it = std::sregex_iterator(log.begin(), log.end(), pattern); it != std::sregex_iterator(); ++it) {
        const auto& match = *it;
        ++total.stops;
        total.decoded_quotes += std::stoull(match[1]);
        total.decoded_trades += std::stoull(match[2]);
        total.decoded_bars += std::stoull(match[3]);
        total.accepted += std::stoull(match[4]);
        total.conflated += std::stoull(match[5]);
        total.dropped += std::stoull(match[6]) + std::stoull(match[7]);
    }
    return total;
}

std::function<void(json&)> ibkr_against(unsigned short gateway_port) {
    return [gateway_port](json& config) {
        config["providers"] = json::array({{{"name", "ibkr"},
                                            {"plugin", "ibkr"},
                                            {"config",
                                             {{"port", gateway_port},
                                              {"contracts", {"AAPL", "MSFT", "IBM", "GOOG"}},
                                              {"reconnect", {{"initial_delay_ms", 100}, {"max_delay_ms", 500}}}}}}});
    };
}

void check_everything_read_is_stored(const LifecycleHost& host, std::uint64_t expected_stops) {
    const json summary = host.summary();
    REQUIRE(summary.is_object());
    INFO("summary: " << summary.dump());
    const json& ibkr = summary["providers"]["ibkr"];
    CHECK(mdp::test::summary_drops(summary).empty());
    const auto published = ibkr["published"].get<std::uint64_t>();
    CHECK(published > 0);
    CHECK(summary["not_stored"] == 0);
    CHECK(summary["sinks"]["main"]["stored"].get<std::uint64_t>() == published);
    CHECK(mdp::test::count_rows(host.database(), "quotes") + mdp::test::count_rows(host.database(), "trades") +
              mdp::test::count_rows(host.database(), "bars") ==
          static_cast<std::int64_t>(published));

    // The provider's side: every event it read (quotes net of conflation) was offered, and
    // the host accepted all of it, flush at each stop included.
    const ProviderAccounting accounting = provider_accounting(host.output());
    CHECK(accounting.stops == expected_stops);
    CHECK(accounting.dropped == 0);
    CHECK(accounting.accepted == published);
    CHECK(accounting.decoded_quotes - accounting.conflated + accounting.decoded_trades + accounting.decoded_bars ==
          published);
}

}  // namespace

TEST_CASE("ibkr streaming from the fake gateway: SIGTERM stores everything the provider read", "[lifecycle][ibkr]") {
    mdp::test::TempDir dir("mdp-lifecycle-ibkr");
    mdp::ibkr::test::FakeTwsProcess gateway(dir, {"--rate", "100"});
    LifecycleHost host(ibkr_against(gateway.port()));
    INFO(host.output());
    REQUIRE(eventually([&] { return mdp::test::count_rows_where(host.database(), "quotes") > 500; }, 60s));
    REQUIRE(host.terminate() == 0);
    check_everything_read_is_stored(host, 1);
}

TEST_CASE("ibkr streaming from the fake gateway: control API restart and stop store everything the provider read",
          "[lifecycle][ibkr][control]") {
    mdp::test::TempDir dir("mdp-lifecycle-ibkr");
    mdp::ibkr::test::FakeTwsProcess gateway(dir, {"--rate", "100"});
    LifecycleHost host(ibkr_against(gateway.port()));
    INFO(host.output());
    REQUIRE(eventually([&] { return mdp::test::count_rows_where(host.database(), "quotes") > 500; }, 60s));
    CHECK(host.control("ibkr", "restart").status == 200);
    REQUIRE(host.state_becomes("ibkr", "running"));
    const std::int64_t after_restart = mdp::test::count_rows_where(host.database(), "quotes");
    REQUIRE(
        eventually([&] { return mdp::test::count_rows_where(host.database(), "quotes") > after_restart + 500; }, 60s));
    CHECK(host.control("ibkr", "stop").status == 200);
    REQUIRE(host.state_becomes("ibkr", "stopped"));
    REQUIRE(host.terminate() == 0);
    check_everything_read_is_stored(host, 2);
}
