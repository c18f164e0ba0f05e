// The real provider (session, translator, conflation, publisher) against the fake gateway,
// in one process with a stub host: every behaviour of the issue that does not need the
// store. The same scenarios through the real mdp-host live in host_integration_test.cpp.

#include "captured_output.hpp"
#include "recording_host.hpp"

#include "fake_gateway/fake_gateway.hpp"
#include "provider/ibkr_provider.hpp"
#include "child_process.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <string>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace mdp::ibkr;
using namespace std::chrono_literals;
using mdp::ibkr::test::CapturedOutput;
using mdp::test::eventually;
using mdp::test::RecordingHost;
using nlohmann::json;

namespace {

constexpr auto kPatience = 30s;

struct Gateway {
    CapturedOutput output;
    std::unique_ptr<fake::FakeGateway> server;

    explicit Gateway(const std::vector<std::string>& arguments) { restart(arguments); }
    ~Gateway() { stop(); }
    void restart(std::vector<std::string> arguments, std::uint16_t port = 0) {
        if (port != 0) {
            arguments.push_back("--port");
            arguments.push_back(std::to_string(port));
        }
        server = std::make_unique<fake::FakeGateway>(fake::parse_gateway_options(arguments), output);
        server->start();
    }
    void stop() {
        if (server) {
            server->stop();
            server.reset();
        }
    }
    [[nodiscard]] std::uint16_t port() const { return server->port(); }
};

json base_config(std::uint16_t port, const json& contracts) {
    return {{"port", port},
            {"client_id", 17},
            {"contracts", contracts},
            {"reconnect", {{"initial_delay_ms", 50}, {"max_delay_ms", 200}}},
            {"connect_timeout_ms", 5000}};
}

struct Provider {
    RecordingHost host;
    std::unique_ptr<IbkrProvider> provider;

    explicit Provider(const json& config) {
        provider = std::make_unique<IbkrProvider>(mdp::sdk::Host(host.table()), "ibkr", config.dump());
        provider->start();
    }
    ~Provider() { stop(); }
    void stop() {
        if (provider) {
            provider->stop();
            provider.reset();
        }
    }
    [[nodiscard]] std::vector<mdp_event_t> events_of(std::uint16_t type, const std::string& symbol) const {
        std::vector<mdp_event_t> result;
        for (const auto& event : host.events()) {
            if (event.type == type && symbol == event.symbol) {
                result.push_back(event);
            }
        }
        return result;
    }
};

std::string script_path(mdp::test::TempDir& dir, const std::string& text) {
    return dir.write_file("ticks.script", text).string();
}

}  // namespace

TEST_CASE("scripted ticks become quotes and trades and bars with the right values", "[ibkr][session]") {
    mdp::test::TempDir dir("ibkr-script");
    const std::string script = script_path(dir, R"(
wait_for AAPL MSFT
price AAPL bid 150.50 100
price AAPL ask 150.52 200
size AAPL bid_size 100          # a duplicate of the size in the price tick: no event
size AAPL bid_size 300
price AAPL last 150.51 5
string AAPL rt_volume 150.51;5;1705500000000;1000;150.50;true
string AAPL rt_volume ;0;1705500000001;1000;150.50;true
price MSFT delayed_bid 410.10 7
bar AAPL 1705500000 150.0 151.0 149.5 150.5 1000 150.2 42
)");
    Gateway gateway({"--script", script, "--bar-interval-ms", "100000"});
    json config = base_config(gateway.port(), {"AAPL", "MSFT"});
    config["real_time_bars"] = true;
    Provider provider(config);
    REQUIRE(eventually([&] { return gateway.output.contains("reqRealTimeBars id=1000000 symbol=AAPL"); }, kPatience));
    REQUIRE(eventually([&] { return gateway.output.contains("script done"); }, kPatience));
    REQUIRE(eventually([&] { return provider.events_of(MDP_EVENT_BAR, "AAPL").size() == 1; }, kPatience));

    const auto quotes = provider.events_of(MDP_EVENT_QUOTE, "AAPL");
    REQUIRE(quotes.size() == 4);  // bid, ask, bid size 300, last
    CHECK(quotes[0].body.quote.bid == 150.50);
    CHECK(quotes[0].body.quote.bid_size == 100);
    CHECK(std::isnan(quotes[0].body.quote.ask));
    CHECK(quotes[1].body.quote.ask == 150.52);
    CHECK(quotes[1].body.quote.ask_size == 200);
    CHECK(quotes[2].body.quote.bid_size == 300);
    CHECK(quotes[3].body.quote.last == 150.51);
    CHECK(quotes[3].flags == 0);

    const auto trades = provider.events_of(MDP_EVENT_TRADE, "AAPL");
    REQUIRE(trades.size() == 1);  // the RTVolume trade; the size-only correction is not a trade
    CHECK(trades[0].body.trade.price == 150.51);
    CHECK(trades[0].body.trade.size == 5);
    CHECK(trades[0].event_time_ns == 1705500000000LL * 1'000'000);

    const auto bars = provider.events_of(MDP_EVENT_BAR, "AAPL");
    CHECK(bars[0].event_time_ns == 1705500000LL * 1'000'000'000);
    CHECK(bars[0].body.bar.interval_ns == 5'000'000'000LL);
    CHECK(bars[0].body.bar.open == 150.0);
    CHECK(bars[0].body.bar.high == 151.0);
    CHECK(bars[0].body.bar.low == 149.5);
    CHECK(bars[0].body.bar.close == 150.5);
    CHECK(bars[0].body.bar.volume == 1000);
    CHECK(bars[0].body.bar.vwap == 150.2);
    CHECK(bars[0].body.bar.trade_count == 42);

    const auto delayed = provider.events_of(MDP_EVENT_QUOTE, "MSFT");
    REQUIRE(delayed.size() == 1);
    CHECK(delayed[0].body.quote.bid == 410.10);
    CHECK((delayed[0].flags & MDP_EVENT_FLAG_DELAYED) != 0);
    CHECK(eventually([&] { return provider.host.last_state().state == MDP_STATE_RUNNING; }, kPatience));
}

TEST_CASE("without RTVolume the last price ticks are the trades", "[ibkr][session]") {
    mdp::test::TempDir dir("ibkr-last");
    const std::string script = script_path(dir, "price AAPL last 99.5 7\nprice AAPL last 99.6 3\n");
    Gateway gateway({"--script", script});
    json config = base_config(gateway.port(), {"AAPL"});
    config["generic_ticks"] = "";
    Provider provider(config);
    REQUIRE(eventually([&] { return provider.events_of(MDP_EVENT_TRADE, "AAPL").size() == 2; }, kPatience));
    const auto trades = provider.events_of(MDP_EVENT_TRADE, "AAPL");
    CHECK(trades[0].body.trade.price == 99.5);
    CHECK(trades[0].body.trade.size == 7);
    CHECK(trades[1].body.trade.price == 99.6);
    CHECK(gateway.output.contains("generic_ticks=\n"));
}

TEST_CASE("an unknown symbol fails alone while the others stream", "[ibkr][session][errors]") {
    Gateway gateway({"--unknown-symbol", "NOPE", "--rate", "50"});
    Provider provider(base_config(gateway.port(), {"AAPL", "NOPE", "MSFT"}));
    REQUIRE(eventually([&] { return !provider.events_of(MDP_EVENT_QUOTE, "MSFT").empty(); }, kPatience));
    REQUIRE(eventually(
        [&] {
            const auto state = provider.host.last_state();
            return state.state == MDP_STATE_RUNNING && state.detail.find("streaming 2 of 3") != std::string::npos;
        },
        kPatience));
    const std::string detail = provider.host.last_state().detail;
    CHECK(detail.find("NOPE: no security definition (unknown contract) (200)") != std::string::npos);
    CHECK(provider.events_of(MDP_EVENT_QUOTE, "NOPE").empty());
}

TEST_CASE("a client id in use fails with a message that says so and keeps retrying", "[ibkr][session][errors]") {
    Gateway gateway({"--client-id-in-use", "17"});
    Provider provider(base_config(gateway.port(), {"AAPL"}));
    REQUIRE(eventually([&] { return provider.host.reported(MDP_STATE_FAILED, "client id 17 is already in use"); },
                       kPatience));
    CHECK(provider.host.last_state().detail.find("set a different client_id") != std::string::npos);
    REQUIRE(eventually([&] { return gateway.output.count("startApi client_id=17") >= 2; }, kPatience));
}

TEST_CASE("a second connection with the same client id is refused by the gateway", "[ibkr][session][errors]") {
    Gateway gateway({"--rate", "5"});
    Provider first(base_config(gateway.port(), {"AAPL"}));
    REQUIRE(eventually([&] { return first.host.last_state().state == MDP_STATE_RUNNING; }, kPatience));
    Provider second(base_config(gateway.port(), {"AAPL"}));
    REQUIRE(eventually([&] { return second.host.reported(MDP_STATE_FAILED, "already in use"); }, kPatience));
    CHECK(first.host.last_state().state == MDP_STATE_RUNNING);
}

TEST_CASE("bars lost between 1100 and 1101 are backfilled, flagged, with no hole and no duplicate",
          "[ibkr][session][backfill]") {
    // 200 ms bars: bar time runs 25 times faster than the clock, so the second of lost
    // connectivity is 25 s of 5-second bars.
    Gateway gateway({"--rate", "20", "--bar-interval-ms", "200", "--fault", "1500:1100", "--fault", "2500:1101"});
    json config = base_config(gateway.port(), {"AAPL", "MSFT"});
    config["real_time_bars"] = true;
    Provider provider(config);
    REQUIRE(eventually([&] { return gateway.output.contains("fault 1101"); }, kPatience));
    REQUIRE(eventually(
        [&] {
            return gateway.output.contains("historicalData id=2000000 symbol=AAPL") &&
                   gateway.output.contains("historicalData id=2000001 symbol=MSFT");
        },
        kPatience));
    REQUIRE(
        eventually([&] { return provider.host.reported(MDP_STATE_RUNNING, "recovered in 2 of 2 gaps"); }, kPatience));
    provider.stop();

    for (const std::string symbol : {"AAPL", "MSFT"}) {
        INFO(symbol);
        auto bars = provider.events_of(MDP_EVENT_BAR, symbol);
        std::sort(bars.begin(), bars.end(),
                  [](const mdp_event_t& a, const mdp_event_t& b) { return a.event_time_ns < b.event_time_ns; });
        std::size_t backfilled = 0;
        for (std::size_t index = 0; index < bars.size(); ++index) {
            backfilled += (bars[index].flags & MDP_EVENT_FLAG_BACKFILLED) != 0 ? 1 : 0;
            if (index > 0) {
                CHECK(bars[index].event_time_ns - bars[index - 1].event_time_ns == 5'000'000'000);
            }
        }
        CHECK(backfilled >= 4);  // the bars due during the lost second, whole ones at least
        CHECK(gateway.output.contains("symbol=" + symbol + " bars=" + std::to_string(backfilled)));
    }
    CHECK_FALSE(gateway.output.contains("historical pacing violation"));
}

TEST_CASE("1100 degrades then 1102 carries on and 1101 resubscribes everything", "[ibkr][session][errors]") {
    Gateway gateway(
        {"--rate", "20", "--fault", "300:1100", "--fault", "900:1102", "--fault", "1500:1100", "--fault", "2100:1101"});
    Provider provider(base_config(gateway.port(), {"AAPL", "MSFT"}));
    REQUIRE(eventually([&] { return provider.host.reported(MDP_STATE_DEGRADED, "lost its connection to IB (1100"); },
                       kPatience));
    REQUIRE(eventually([&] { return gateway.output.contains("fault 1101"); }, kPatience));
    // After 1101 every line is cancelled and requested again, and data flows again.
    // The requests are paced, so the second may follow the first by a pacing interval.
    REQUIRE(eventually(
        [&] {
            return gateway.output.count("reqMktData id=1 symbol=AAPL") == 2 &&
                   gateway.output.count("reqMktData id=2 symbol=MSFT") == 2;
        },
        kPatience));
    CHECK(gateway.output.contains("cancelMktData id=1"));
    const std::size_t before = provider.host.event_count();
    REQUIRE(eventually([&] { return provider.host.event_count() > before + 10; }, kPatience));
    REQUIRE(eventually([&] { return provider.host.last_state().state == MDP_STATE_RUNNING; }, kPatience));
    // The degraded report came before the recovery.
    const auto states = provider.host.states();
    bool degraded_then_running = false;
    bool seen_degraded = false;
    for (const auto& report : states) {
        seen_degraded = seen_degraded || report.state == MDP_STATE_DEGRADED;
        degraded_then_running = degraded_then_running || (seen_degraded && report.state == MDP_STATE_RUNNING);
    }
    CHECK(degraded_then_running);
    CHECK(provider.host.logged("1102"));
}

TEST_CASE("a gateway restart mid-stream reconnects and resubscribes and resumes", "[ibkr][session][reconnect]") {
    Gateway gateway({"--rate", "20"});
    const std::uint16_t port = gateway.port();
    Provider provider(base_config(port, {"AAPL", "MSFT"}));
    REQUIRE(eventually([&] { return provider.events_of(MDP_EVENT_QUOTE, "MSFT").size() > 5; }, kPatience));
    gateway.stop();
    REQUIRE(eventually([&] { return provider.host.reported(MDP_STATE_DEGRADED, "reconnecting in"); }, kPatience));
    gateway.restart({"--rate", "20", "--seed", "7"}, port);
    REQUIRE(eventually([&] { return gateway.output.count("reqMktData id=2 symbol=MSFT") == 2; }, kPatience));
    const std::size_t before = provider.events_of(MDP_EVENT_QUOTE, "MSFT").size();
    REQUIRE(eventually([&] { return provider.events_of(MDP_EVENT_QUOTE, "MSFT").size() > before + 5; }, kPatience));
    REQUIRE(eventually([&] { return provider.host.last_state().state == MDP_STATE_RUNNING; }, kPatience));
}

TEST_CASE("abrupt disconnects are survived", "[ibkr][session][reconnect]") {
    Gateway gateway({"--rate", "20", "--fault", "300:disconnect", "--fault-connections", "3"});
    Provider provider(base_config(gateway.port(), {"AAPL"}));
    REQUIRE(eventually([&] { return gateway.output.count("startApi client_id=17") >= 4; }, kPatience));
    const std::size_t before = provider.host.event_count();
    REQUIRE(eventually([&] { return provider.host.event_count() > before + 10; }, kPatience));
    CHECK(provider.host.logged("ended"));
}

TEST_CASE("garbage or oversized frames or corrupt messages drop the connection and not the provider",
          "[ibkr][session][robustness]") {
    for (const std::string fault : {"garbage", "oversize", "corrupt"}) {
        DYNAMIC_SECTION(fault) {
            Gateway gateway({"--rate", "20", "--fault", "300:" + fault});
            Provider provider(base_config(gateway.port(), {"AAPL"}));
            REQUIRE(eventually([&] { return gateway.output.count("startApi client_id=17") >= 2; }, kPatience));
            const std::size_t before = provider.host.event_count();
            REQUIRE(eventually([&] { return provider.host.event_count() > before + 10; }, kPatience));
        }
    }
}

TEST_CASE("a few malformed messages are skipped and counted without reconnecting", "[ibkr][session][robustness]") {
    Gateway gateway({"--rate", "20", "--fault", "300:malformed"});
    Provider provider(base_config(gateway.port(), {"AAPL"}));
    REQUIRE(eventually([&] { return provider.host.logged("skipped malformed message #5"); }, kPatience));
    REQUIRE(eventually(
        [&] { return provider.host.last_state().detail.find("5 malformed messages skipped") != std::string::npos; },
        kPatience));
    CHECK(gateway.output.count("startApi client_id=17") == 1);
}

TEST_CASE("a gateway that answers with random bytes never crashes the provider", "[ibkr][session][robustness]") {
    Gateway gateway({"--garbage-only"});
    Provider provider(base_config(gateway.port(), {"AAPL"}));
    REQUIRE(eventually([&] { return gateway.output.count("sent random bytes") >= 3; }, kPatience));
    CHECK(provider.host.last_state().state == MDP_STATE_DEGRADED);
    CHECK(provider.host.event_count() == 0);
}

TEST_CASE("split and coalesced writes give the same events", "[ibkr][session][framing]") {
    mdp::test::TempDir dir("ibkr-split");
    std::string text = "wait_for AAPL\n";
    for (int index = 0; index < 40; ++index) {
        text += "price AAPL bid " + std::to_string(100 + index) + ".25 " + std::to_string(10 + index) + "\n";
    }
    const std::string script = script_path(dir, text);
    for (const std::string mode : {"--split-writes", "--coalesce-writes"}) {
        DYNAMIC_SECTION(mode) {
            Gateway gateway({"--script", script, mode});
            Provider provider(base_config(gateway.port(), {"AAPL"}));
            REQUIRE(eventually([&] { return provider.events_of(MDP_EVENT_QUOTE, "AAPL").size() == 40; }, kPatience));
            const auto quotes = provider.events_of(MDP_EVENT_QUOTE, "AAPL");
            for (int index = 0; index < 40; ++index) {
                CHECK(quotes[static_cast<std::size_t>(index)].body.quote.bid == 100 + index + 0.25);
                CHECK(quotes[static_cast<std::size_t>(index)].body.quote.bid_size == 10 + index);
            }
        }
    }
}

TEST_CASE("300 contracts are subscribed within the pacing limit", "[ibkr][session][pacing]") {
    Gateway gateway({"--max-lines", "300", "--ticks", "none"});
    json contracts = json::array();
    for (int index = 0; index < 300; ++index) {
        contracts.push_back("S" + std::to_string(index));
    }
    json config = base_config(gateway.port(), contracts);
    config["max_market_data_lines"] = 300;
    Provider provider(config);
    REQUIRE(eventually([&] { return provider.host.reported(MDP_STATE_RUNNING, "requests queued by client pacing"); },
                       kPatience));
    // 300 requests at 45/s take about 7 s; the gateway sees every one and no violation.
    REQUIRE(eventually(
        [&] {
            const auto state = provider.host.last_state();
            return state.detail.find("requests queued") == std::string::npos &&
                   state.detail.find("subscribing 300 lines") != std::string::npos;
        },
        60s));
    provider.stop();
    gateway.stop();
    CHECK_FALSE(gateway.output.contains("pacing violation"));
    CHECK(gateway.output.count("reqMktData id=") == 300);
    CHECK(gateway.output.contains("reqMktData id=300 symbol=S299"));
    const std::string text = gateway.output.text();
    const std::size_t at = text.find("; max ");
    REQUIRE(at != std::string::npos);
    const int max_per_second = std::stoi(text.substr(at + 6));
    CHECK(max_per_second <= 50);
}

TEST_CASE("contracts beyond the line limit are refused with a clear message", "[ibkr][session][pacing]") {
    Gateway gateway({"--rate", "10"});
    json config = base_config(gateway.port(), {"A", "B", "C", "D", "E"});
    config["max_market_data_lines"] = 3;
    Provider provider(config);
    REQUIRE(eventually([&] { return !provider.events_of(MDP_EVENT_QUOTE, "C").empty(); }, kPatience));
    CHECK(provider.host.logged("2 lines refused: beyond max_market_data_lines 3"));
    REQUIRE(eventually([&] { return provider.host.last_state().detail.find("2 lines refused") != std::string::npos; },
                       kPatience));
    CHECK_FALSE(gateway.output.contains("symbol=D"));
    CHECK_FALSE(gateway.output.contains("symbol=E"));
}

TEST_CASE("a pacing violation is reported in the status and the log names the lowered request rate",
          "[ibkr][session][pacing]") {
    Gateway gateway({"--rate", "10", "--fault", "200:100"});
    Provider provider(base_config(gateway.port(), {"AAPL"}));
    REQUIRE(eventually([&] { return provider.host.reported(MDP_STATE_RUNNING, "pacing violation (100)"); }, kPatience));
    CHECK(provider.host.logged("slowing requests to 22/s"));
}

TEST_CASE("not subscribed gives a clear status or delayed data with the fallback", "[ibkr][session][errors]") {
    SECTION("without fallback") {
        Gateway gateway({"--not-subscribed", "XYZ", "--delayed-disabled", "QQQ", "--rate", "10"});
        Provider provider(base_config(gateway.port(), {"AAPL", "XYZ", "QQQ"}));
        REQUIRE(eventually(
            [&] { return provider.host.reported(MDP_STATE_RUNNING, "market data not subscribed (354)"); }, kPatience));
        REQUIRE(eventually(
            [&] {
                return provider.host.last_state().detail.find("not subscribed and delayed data is disabled (10186)") !=
                       std::string::npos;
            },
            kPatience));
    }
    SECTION("with delayed_fallback") {
        Gateway gateway({"--not-subscribed", "XYZ", "--rate", "10"});
        json config = base_config(gateway.port(), {"AAPL", "XYZ"});
        config["delayed_fallback"] = true;
        Provider provider(config);
        REQUIRE(eventually([&] { return !provider.events_of(MDP_EVENT_QUOTE, "XYZ").empty(); }, kPatience));
        CHECK(gateway.output.contains("reqMarketDataType type=3"));
        for (const auto& event : provider.events_of(MDP_EVENT_QUOTE, "XYZ")) {
            CHECK((event.flags & MDP_EVENT_FLAG_DELAYED) != 0);
        }
        REQUIRE(
            eventually([&] { return provider.host.reported(MDP_STATE_RUNNING, "on delayed data: XYZ"); }, kPatience));
    }
}

TEST_CASE("every server version in range speaks to the provider", "[ibkr][session][versions]") {
    for (const int version : {100, 150, 163, 166, 176, 194, 200}) {
        DYNAMIC_SECTION("server version " << version) {
            Gateway gateway({"--server-version", std::to_string(version), "--rate", "50", "--unknown-symbol", "NOPE"});
            Provider provider(base_config(gateway.port(), {"AAPL", "NOPE"}));
            REQUIRE(eventually([&] { return provider.events_of(MDP_EVENT_QUOTE, "AAPL").size() > 5; }, kPatience));
            // The error layout differs at 166 and 194; the failure is read right at each.
            REQUIRE(eventually(
                [&] { return provider.host.reported(MDP_STATE_RUNNING, "NOPE: no security definition"); }, kPatience));
            CHECK(gateway.output.contains("-> server version " + std::to_string(version)));
        }
    }
}

TEST_CASE("nothing listening is degraded with the reason and max_attempts gives up", "[ibkr][session][reconnect]") {
    const mdp::test::RefusingPort nothing_listening;
    const unsigned short port = nothing_listening.port();
    json config = base_config(port, {"AAPL"});
    SECTION("retrying") {
        Provider provider(config);
        REQUIRE(eventually(
            [&] { return provider.host.reported(MDP_STATE_DEGRADED, "connection refused by 127.0.0.1"); }, kPatience));
        CHECK(provider.host.last_state().state == MDP_STATE_DEGRADED);
    }
    SECTION("giving up") {
        config["reconnect"]["max_attempts"] = 3;
        Provider provider(config);
        REQUIRE(eventually([&] { return provider.host.last_state().state == MDP_STATE_FAILED; }, kPatience));
        CHECK(provider.host.last_state().detail.starts_with("gave up connecting to 127.0.0.1:" + std::to_string(port)));
        CHECK(provider.host.logged("giving up after 3 failed connection attempts"));
    }
}

TEST_CASE("a server that never answers the handshake times out and is retried", "[ibkr][session][reconnect]") {
    // A plain listening socket: the kernel accepts, nobody speaks.
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listener, 16) == 0);
    socklen_t length = sizeof address;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
    json config = base_config(ntohs(address.sin_port), {"AAPL"});
    config["connect_timeout_ms"] = 300;
    {
        Provider provider(config);
        REQUIRE(eventually(
            [&] {
                return provider.host.reported(MDP_STATE_DEGRADED,
                                              "waiting for the server version (is this a TWS API port");
            },
            kPatience));
        // Retried: the provider connects again after the timeout (each connection is taken
        // from the listener's backlog here and closed unanswered).
        REQUIRE(::fcntl(listener, F_SETFL, O_NONBLOCK) == 0);
        int connections = 0;
        REQUIRE(eventually(
            [&] {
                for (int accepted = ::accept(listener, nullptr, nullptr); accepted >= 0;
                     accepted = ::accept(listener, nullptr, nullptr)) {
                    ::close(accepted);
                    ++connections;
                }
                return connections >= 2;
            },
            kPatience));
    }
    ::close(listener);
}

TEST_CASE("reconfigure validates as at construction and changes contracts only in place",
          "[ibkr][session][reconfigure]") {
    Gateway gateway({"--rate", "20"});
    json config = base_config(gateway.port(), {"AAPL", "IBM"});
    Provider provider(config);
    REQUIRE(eventually([&] { return provider.events_of(MDP_EVENT_QUOTE, "IBM").size() > 3; }, kPatience));

    json invalid = config;
    invalid["contracts"] = {"AAPL", {{"symbol", "X"}, {"sec_type", "STOCK"}}};
    try {
        provider.provider->reconfigure(invalid.dump());
        FAIL("an invalid contract list was accepted");
    } catch (const mdp::sdk::ConfigProblem& problem) {
        CHECK(problem.path() == "contracts[1].sec_type");
    }
    json moved = config;
    moved["port"] = gateway.port() + 1;
    CHECK_FALSE(provider.provider->reconfigure(moved.dump()));  // a new connection: restart
    json other_ticks = config;
    other_ticks["generic_ticks"] = "";
    CHECK_FALSE(provider.provider->reconfigure(other_ticks.dump()));  // every line would change: restart
    json respelled = config;
    respelled["contracts"] = {{{"symbol", "AAPL"}}, {{"symbol", "IBM"}, {"currency", "USD"}}};
    CHECK(provider.provider->reconfigure(respelled.dump()));  // the same contracts: nothing to do

    json swapped = config;
    swapped["contracts"] = {"AAPL", "MSFT"};
    CHECK(provider.provider->reconfigure(swapped.dump()));
    REQUIRE(eventually([&] { return provider.events_of(MDP_EVENT_QUOTE, "MSFT").size() > 3; }, kPatience));
    // Only the swap reached the gateway: none of the refused or empty changes did.
    CHECK(gateway.output.count("reqMktData id=") == 3);
    CHECK(gateway.output.count("reqMktData id=3 symbol=MSFT") == 1);
    CHECK(gateway.output.count("cancelMktData id=") == 1);
    CHECK(gateway.output.count("cancelMktData id=2 symbol=IBM") == 1);
    CHECK(gateway.output.count("startApi client_id=") == 1);
}

TEST_CASE("a contract list changed before start is what the first connection subscribes",
          "[ibkr][session][reconfigure]") {
    Gateway gateway({"--rate", "20"});
    RecordingHost host;
    IbkrProvider provider(mdp::sdk::Host(host.table()), "ibkr", base_config(gateway.port(), {"AAPL"}).dump());
    CHECK(provider.reconfigure(base_config(gateway.port(), {"MSFT"}).dump()));
    provider.start();
    REQUIRE(eventually([&] { return gateway.output.contains("reqMktData id=2 symbol=MSFT"); }, kPatience));
    REQUIRE(eventually([&] { return host.event_count() > 3; }, kPatience));
    provider.stop();
    CHECK_FALSE(gateway.output.contains("symbol=AAPL"));
    for (const auto& event : host.events()) {
        CHECK(std::string(event.symbol) == "MSFT");
    }
}
