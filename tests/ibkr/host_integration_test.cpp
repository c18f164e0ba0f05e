// The ibkr plugin inside the real mdp-host, against mdp-fake-tws, storing into SQLite:
// rows with the right values, restart and reconnect, refusals, a contract list reloaded in
// place, pacing, fragmented and garbage streams, and the backpressure behaviour at rate
// scales 0.5 and 0.0.

#include "host_fixture.hpp"
#include "http_client.hpp"
#include "sqlite_reader.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <regex>
#include <string>
#include <thread>

using namespace mdp::ibkr::test;
using namespace std::chrono_literals;
using mdp::test::count_rows_where;
using mdp::test::eventually;
using mdp::test::SqliteReader;
using mdp::test::TempDir;
using nlohmann::json;

namespace {

constexpr auto kPatience = 60s;

#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer keeps freed memory in quarantine (256 MB by default): only gross growth
// shows, so the flood is larger than what may legitimately be held.
constexpr std::int64_t kMemoryGrowthLimitKib = std::int64_t{400} * 1024;
constexpr std::int64_t kPausedGrowthLimitKib = std::int64_t{400} * 1024;
constexpr int kPauseBlastMessages = 6'000'000;  // 720 MB as events if it were all kept
#else
// At rate scale 0.5 the provider may buffer up to its buffer_capacity (200,000 events).
constexpr std::int64_t kMemoryGrowthLimitKib = std::int64_t{100} * 1024;
// Paused, it holds at most its 1,000-event buffer and one quote per symbol (~120 KB); the
// bound leaves room for allocator and socket buffers, and 3 million messages keeping even 6
// bytes each would exceed it.
constexpr std::int64_t kPausedGrowthLimitKib = std::int64_t{16} * 1024;
constexpr int kPauseBlastMessages = 3'000'000;  // 360 MB as events if it were all kept
#endif

// How much the host's resident memory grew since `baseline_kib` (negative when it shrank).
std::int64_t growth_kib(const HostProcess& host, std::size_t baseline_kib) {
    return static_cast<std::int64_t>(host.resident_kib()) - static_cast<std::int64_t>(baseline_kib);
}

// Trades and bars a paused ibkr provider holds plus those it dropped, from its status detail
// ("holding 8 quotes and 1000 trades/bars, dropped 4928 trades and 0 bars"); -1 when the
// detail does not say.
std::int64_t held_and_dropped_trades(const json& provider_status) {
    static const std::regex kPaused(
        R"(holding \d+ quotes? and (\d+) trades?/bars?(, dropped (\d+) trades and (\d+) bars)?)");
    const std::string detail = provider_status.value("detail", "");
    std::smatch match;
    if (!std::regex_search(detail, match, kPaused)) {
        return -1;
    }
    std::int64_t total = std::stoll(match[1].str());
    if (match[2].matched) {
        total += std::stoll(match[3].str()) + std::stoll(match[4].str());
    }
    return total;
}

json provider_with(unsigned short port, const json& contracts, json extra = json::object()) {
    json config = {
        {"port", port}, {"contracts", contracts}, {"reconnect", {{"initial_delay_ms", 100}, {"max_delay_ms", 500}}}};
    for (const auto& [key, value] : extra.items()) {
        config[key] = value;
    }
    return {{"config", config}};
}

// The numbers of the provider's "ibkr summary:" log line.
struct ProviderSummary {
    std::int64_t quotes = -1, trades = -1, bars = -1, accepted = -1, conflated = -1, dropped_trades = -1,
                 dropped_bars = -1;
};

ProviderSummary provider_summary(const std::string& log) {
    const std::regex pattern(
        R"(ibkr summary: decoded (\d+) quotes, (\d+) trades, (\d+) bars; accepted by the host (\d+); quotes conflated (\d+); dropped \(buffer full\) (\d+) trades, (\d+) bars)");
    std::smatch match;
    ProviderSummary summary;
    if (std::regex_search(log, match, pattern)) {
        summary.quotes = std::stoll(match[1]);
        summary.trades = std::stoll(match[2]);
        summary.bars = std::stoll(match[3]);
        summary.accepted = std::stoll(match[4]);
        summary.conflated = std::stoll(match[5]);
        summary.dropped_trades = std::stoll(match[6]);
        summary.dropped_bars = std::stoll(match[7]);
    }
    return summary;
}

int max_messages_per_second(const std::string& gateway_output) {
    const std::regex pattern(R"(; max (\d+) client messages in any 1 s window)");
    int busiest = 0;
    for (auto it = std::sregex_iterator(gateway_output.begin(), gateway_output.end(), pattern);
         it != std::sregex_iterator(); ++it) {
        busiest = std::max(busiest, std::stoi((*it)[1]));
    }
    return busiest;
}

}  // namespace

TEST_CASE("host and plugin and fake gateway store the scripted prices and sizes and flags", "[ibkr][host]") {
    TempDir dir("ibkr-host-rows");
    dir.write_file("ticks.script", R"(
wait_for AAPL MSFT
price AAPL bid 150.50 100
price AAPL ask 150.52 200
price AAPL last 150.51 5
string AAPL rt_volume 150.51;5;1705500000000;1000;150.50;true
price MSFT delayed_bid 410.10 7
price MSFT delayed_ask 410.20 9
bar AAPL 1705500000 150.0 151.0 149.5 150.5 1000 150.2 42
bar AAPL 1705500005 150.5 152.0 150.0 151.5 800 151.1 30
)");
    FakeTwsProcess gateway(dir, {"--script", (dir / "ticks.script").string(), "--bar-interval-ms", "3600000"});
    HostProcess host(dir, provider_with(gateway.port(), {"AAPL", "MSFT"}, {{"real_time_bars", true}}));
    REQUIRE(gateway.wait_for("script done", kPatience));
    REQUIRE(eventually(
        [&] {
            return count_rows_where(host.database(), "bars") == 2 && count_rows_where(host.database(), "quotes") == 5;
        },
        kPatience));
    REQUIRE(host.stop() == 0);

    const json& ibkr = host.summary()["providers"]["ibkr"];
    CHECK(ibkr["published"] == 8);
    CHECK(ibkr["by_type"]["quote"] == 5);
    CHECK(ibkr["by_type"]["trade"] == 1);
    CHECK(ibkr["by_type"]["bar"] == 2);
    CHECK(host.summary()["sinks"]["main"]["stored"] == 8);

    SqliteReader db(host.database());
    const auto quotes = db.rows("SELECT symbol, bid, ask, bid_size, ask_size, last, delayed FROM quotes ORDER BY seq");
    REQUIRE(quotes.size() == 5);
    CHECK(quotes[0] == std::vector<std::string>{"AAPL", "150.5", "NULL", "100.0", "NULL", "NULL", "0"});
    CHECK(quotes[1] == std::vector<std::string>{"AAPL", "150.5", "150.52", "100.0", "200.0", "NULL", "0"});
    CHECK(quotes[2] == std::vector<std::string>{"AAPL", "150.5", "150.52", "100.0", "200.0", "150.51", "0"});
    CHECK(quotes[3] == std::vector<std::string>{"MSFT", "410.1", "NULL", "7.0", "NULL", "NULL", "1"});
    CHECK(quotes[4] == std::vector<std::string>{"MSFT", "410.1", "410.2", "7.0", "9.0", "NULL", "1"});
    const auto trades = db.rows("SELECT symbol, price, size, event_time_ns, delayed FROM trades");
    REQUIRE(trades.size() == 1);
    CHECK(trades[0] == std::vector<std::string>{"AAPL", "150.51", "5.0", "1705500000000000000", "0"});
    const auto bars = db.rows(
        "SELECT symbol, interval_ns, ts, open, high, low, close, volume, vwap, trade_count FROM bars ORDER BY ts");
    REQUIRE(bars.size() == 2);
    CHECK(bars[0] == std::vector<std::string>{"AAPL", "5000000000", "1705500000000000000", "150.0", "151.0", "149.5",
                                              "150.5", "1000.0", "150.2", "42"});
    CHECK(bars[1][2] == "1705500005000000000");
    CHECK(bars[1][9] == "30");
}

TEST_CASE("a gateway restart mid-stream shows degraded then running and the stream resumes", "[ibkr][host]") {
    TempDir dir("ibkr-host-restart");
    FakeTwsProcess gateway(dir, {"--rate", "20"});
    HostProcess host(dir, provider_with(gateway.port(), {"AAPL", "MSFT"}));
    REQUIRE(eventually([&] { return count_rows_where(host.database(), "quotes", "symbol = 'MSFT'") > 10; }, kPatience));
    REQUIRE(host.provider_state_is("running"));

    gateway.kill();
    REQUIRE(eventually([&] { return host.provider_state_is("degraded"); }, kPatience));
    CHECK(host.provider_status()["detail"].get<std::string>().find("127.0.0.1:" + std::to_string(gateway.port())) !=
          std::string::npos);
    const std::int64_t before_restart = count_rows_where(host.database(), "quotes");

    gateway.set_arguments({"--rate", "20", "--seed", "9"});
    gateway.start();
    REQUIRE(eventually([&] { return gateway.count("reqMktData id=2 symbol=MSFT") == 2; }, kPatience));
    CHECK(gateway.count("reqMktData id=1 symbol=AAPL") == 2);
    REQUIRE(eventually([&] { return host.provider_state_is("running"); }, kPatience));
    REQUIRE(eventually([&] { return count_rows_where(host.database(), "quotes") > before_restart + 20; }, kPatience));
    REQUIRE(host.stop() == 0);
    const std::string log = host.output();
    const std::size_t degraded = log.find("provider ibkr: running -> degraded");
    REQUIRE(degraded != std::string::npos);
    CHECK(log.find("provider ibkr: degraded -> running", degraded) != std::string::npos);
}

TEST_CASE("an unknown symbol is named on the status API while the others are stored", "[ibkr][host]") {
    TempDir dir("ibkr-host-unknown");
    FakeTwsProcess gateway(dir, {"--rate", "20", "--unknown-symbol", "NOPE"});
    HostProcess host(dir, provider_with(gateway.port(), {"AAPL", "NOPE"}));
    REQUIRE(eventually(
        [&] {
            const json provider = host.provider_status();
            return provider.value("state", "") == "running" &&
                   provider.value("detail", "").find("NOPE: no security definition") != std::string::npos;
        },
        kPatience));
    REQUIRE(eventually([&] { return count_rows_where(host.database(), "quotes", "symbol = 'AAPL'") > 5; }, kPatience));
    CHECK(count_rows_where(host.database(), "quotes", "symbol = 'NOPE'") == 0);
    CHECK(host.stop() == 0);
}

TEST_CASE("a client id in use is failed on the status API with a message that says so", "[ibkr][host]") {
    TempDir dir("ibkr-host-client-id");
    FakeTwsProcess gateway(dir, {"--client-id-in-use", "17"});
    HostProcess host(dir, provider_with(gateway.port(), {"AAPL"}));
    REQUIRE(eventually(
        [&] {
            const json provider = host.provider_status();
            return provider.value("state", "") == "failed" &&
                   provider.value("detail", "").find("client id 17 is already in use") != std::string::npos;
        },
        kPatience));
    // The host itself is fine: it still serves and shuts down cleanly.
    CHECK(mdp::test::http_get(host.http_port(), "/health").status == 200);
    CHECK(host.stop() == 0);
}

TEST_CASE("a reload adds and removes contracts in place on the same connection", "[ibkr][host][reload]") {
    TempDir dir("ibkr-host-reload");
    FakeTwsProcess gateway(dir, {"--rate", "20", "--bar-interval-ms", "3600000"});
    const json bars = {{"real_time_bars", true}};
    HostProcess host(dir, provider_with(gateway.port(), {"AAPL", "IBM"}, bars));
    REQUIRE(eventually(
        [&] {
            return count_rows_where(host.database(), "quotes", "symbol = 'AAPL'") > 5 &&
                   count_rows_where(host.database(), "quotes", "symbol = 'IBM'") > 5;
        },
        kPatience));
    REQUIRE(gateway.count("reqRealTimeBars id=1000001 symbol=IBM") == 1);

    // An invalid contract list is refused with its key path, and nothing changes.
    const json refused =
        host.reload(provider_with(gateway.port(), {"AAPL", {{"symbol", "X"}, {"sec_type", "STOCK"}}}, bars));
    CHECK(refused.at("generation") == 1);
    CHECK(refused.at("last_reload_result") == "failure");
    CHECK_THAT(refused.at("last_reload_message").get<std::string>(), Catch::Contains("contracts[1].sec_type"));

    // IBM out, MSFT in, AAPL untouched.
    const json applied = host.reload(provider_with(gateway.port(), {"AAPL", "MSFT"}, bars));
    INFO(applied.dump());
    CHECK(applied.at("generation") == 2);
    CHECK(applied.at("last_reload_result") == "success");
    CHECK_THAT(applied.at("last_reload_message").get<std::string>(), Catch::Contains("reconfigured in place"));
    const std::int64_t aapl_at_reload = count_rows_where(host.database(), "quotes", "symbol = 'AAPL'");
    REQUIRE(eventually(
        [&] {
            return count_rows_where(host.database(), "quotes", "symbol = 'MSFT'") > 5 &&
                   count_rows_where(host.database(), "quotes", "symbol = 'AAPL'") > aapl_at_reload + 5;
        },
        kPatience));
    CHECK(host.provider_status().at("restarts") == 0);
    REQUIRE(host.stop() == 0);
    gateway.stop();  // its log is complete now

    // Exactly: the two initial lines per contract, one new pair for MSFT (on fresh request
    // ids), one cancel pair for IBM (on its own ids), and a single connection throughout.
    INFO(gateway.output());
    CHECK(gateway.count("reqMktData id=") == 3);
    CHECK(gateway.count("reqMktData id=1 symbol=AAPL") == 1);
    CHECK(gateway.count("reqMktData id=3 symbol=MSFT") == 1);
    CHECK(gateway.count("reqRealTimeBars id=") == 3);
    CHECK(gateway.count("reqRealTimeBars id=1000002 symbol=MSFT") == 1);
    CHECK(gateway.count("cancelMktData id=") == 1);
    CHECK(gateway.count("cancelMktData id=2 symbol=IBM") == 1);
    CHECK(gateway.count("cancelRealTimeBars id=") == 1);
    CHECK(gateway.count("cancelRealTimeBars id=1000001 symbol=IBM") == 1);
    CHECK(gateway.count(" from 127.0.0.1:") == 1);
    CHECK(gateway.count("startApi client_id=") == 1);
    CHECK_THAT(host.output(), Catch::Contains("contract list changed in place: added MSFT; removed IBM"));
}

TEST_CASE("300 contracts are subscribed within the pacing limit and all stream into SQLite", "[ibkr][host][pacing]") {
    TempDir dir("ibkr-host-pacing");
    FakeTwsProcess gateway(dir, {"--rate", "2", "--max-lines", "300"});
    json contracts = json::array();
    for (int index = 0; index < 300; ++index) {
        contracts.push_back("S" + std::to_string(index));
    }
    HostProcess host(dir, provider_with(gateway.port(), contracts, {{"max_market_data_lines", 300}}));
    REQUIRE(eventually([&] { return count_rows_where(host.database(), "(SELECT DISTINCT symbol FROM quotes)") == 300; },
                       kPatience));
    REQUIRE(host.stop() == 0);
    gateway.stop();
    CHECK(gateway.count("reqMktData id=") == 300);
    CHECK(gateway.count("pacing violation") == 0);
    const int busiest = max_messages_per_second(gateway.output());
    CHECK(busiest <= 50);
}

TEST_CASE("frames split into tiny pieces still give the exact rows", "[ibkr][host][framing]") {
    TempDir dir("ibkr-host-split");
    std::string script = "wait_for AAPL\n";
    for (int index = 0; index < 30; ++index) {
        script += "price AAPL bid " + std::to_string(200 + index) + ".5 " + std::to_string(1 + index) + "\n";
    }
    dir.write_file("ticks.script", script);
    FakeTwsProcess gateway(dir, {"--script", (dir / "ticks.script").string(), "--split-writes"});
    HostProcess host(dir, provider_with(gateway.port(), {"AAPL"}));
    REQUIRE(eventually([&] { return count_rows_where(host.database(), "quotes") == 30; }, kPatience));
    REQUIRE(host.stop() == 0);
    SqliteReader db(host.database());
    const auto rows = db.rows("SELECT bid, bid_size FROM quotes ORDER BY seq");
    REQUIRE(rows.size() == 30);
    for (std::size_t index = 0; index < rows.size(); ++index) {
        CHECK(rows[index][0] == std::to_string(200 + index) + ".5");
        CHECK(rows[index][1] == std::to_string(1 + index) + ".0");
    }
}

TEST_CASE("a garbage stream never crashes the host", "[ibkr][host][robustness]") {
    TempDir dir("ibkr-host-garbage");
    SECTION("a gateway that only sends random bytes") {
        FakeTwsProcess gateway(dir, {"--garbage-only"});
        HostProcess host(dir, provider_with(gateway.port(), {"AAPL"}));
        REQUIRE(eventually([&] { return gateway.count("sent random bytes") >= 5; }, kPatience));
        CHECK(host.provider_state_is("degraded"));
        CHECK(mdp::test::http_get(host.http_port(), "/health").status == 200);
        CHECK(host.stop() == 0);
    }
    SECTION("random bytes in the middle of a stream") {
        FakeTwsProcess gateway(dir, {"--rate", "20", "--fault", "1000:garbage", "--fault", "1000:oversize"});
        HostProcess host(dir, provider_with(gateway.port(), {"AAPL"}));
        REQUIRE(gateway.wait_for("fault garbage", kPatience));
        REQUIRE(eventually([&] { return gateway.count("startApi client_id=17") >= 2; }, kPatience));
        const std::int64_t after_garbage = count_rows_where(host.database(), "quotes");
        REQUIRE(
            eventually([&] { return count_rows_where(host.database(), "quotes") > after_garbage + 20; }, kPatience));
        REQUIRE(eventually([&] { return host.provider_state_is("running"); }, kPatience));
        CHECK(host.stop() == 0);
    }
}

TEST_CASE("at rate scale 0.5 quotes are conflated and trades still flow", "[ibkr][host][backpressure]") {
    TempDir dir("ibkr-host-half");
    // A tiny queue makes the first blast cross the watermark, so the host sends feedback;
    // every level maps to 0.5 for this provider, so from then on it runs at half rate.
    FakeTwsProcess gateway(dir, {"--blast", "200000", "--blast-after-subscriptions", "4", "--rate", "100"});
    json provider = provider_with(gateway.port(), {"A", "B", "C", "D"}, {{"buffer_capacity", 200000}});
    provider["rate_scale"] = {{"ok", 0.5}, {"soft", 0.5}, {"hard", 0.5}};
    HostProcess host(dir, provider, {{"queue_capacity", 100}, {"batch_size", 50}});
    const std::size_t baseline_kib = host.resident_kib();
    REQUIRE(gateway.wait_for("blast done", kPatience));
    CHECK(growth_kib(host, baseline_kib) < kMemoryGrowthLimitKib);
    REQUIRE(eventually(
        [&] {
            const json status = host.provider_status();
            return status.value("rate_scale", 1.0) == 0.5 &&
                   status.value("detail", "").find("rate scale 0.5, quotes conflated per symbol") != std::string::npos;
        },
        kPatience));
    const std::int64_t quotes_now = count_rows_where(host.database(), "quotes");
    REQUIRE(eventually([&] { return count_rows_where(host.database(), "quotes") > quotes_now + 100; }, kPatience));
    REQUIRE(host.stop() == 0);
    const ProviderSummary summary = provider_summary(host.output());
    REQUIRE(summary.quotes > 0);
    CHECK(summary.conflated > 0);
    CHECK(host.summary()["providers"]["ibkr"]["by_type"]["quote"].get<std::int64_t>() < summary.quotes);
    CHECK(summary.dropped_trades == 0);  // trades are never conflated
    CHECK(summary.trades >= 33332);  // the blast carries 33,332 RTVolume trades
}

TEST_CASE("at rate scale 0 the provider holds and stays bounded while the socket keeps being read",
          "[ibkr][host][backpressure]") {
    TempDir dir("ibkr-host-pause");
    constexpr int kBlast = kPauseBlastMessages;
    FakeTwsProcess gateway(dir,
                           {"--blast", std::to_string(kBlast), "--blast-after-subscriptions", "8", "--ticks", "none"});
    json provider =
        provider_with(gateway.port(), {"A", "B", "C", "D", "E", "F", "G", "H"}, {{"buffer_capacity", 1000}});
    provider["rate_scale"] = {{"ok", 0.0}, {"soft", 0.0}, {"hard", 0.0}};
    HostProcess host(dir, provider, {{"queue_capacity", 100}, {"batch_size", 50}});
    const std::size_t baseline_kib = host.resident_kib();
    // Millions of messages go through without the reader blocking...
    REQUIRE(gateway.wait_for("blast done", kPatience));
    // ...every trade was decoded and is either held in the buffer or dropped from it (the
    // detail says how many), so the reader did not stop reading...
    REQUIRE(eventually([&] { return held_and_dropped_trades(host.provider_status()) == kBlast / 6; }, kPatience));
    // ...and memory stays bounded: at most the buffer and one quote per symbol are held.
    INFO("host resident memory " << baseline_kib << " KiB before, " << host.resident_kib() << " KiB after");
    CHECK(growth_kib(host, baseline_kib) < kPausedGrowthLimitKib);
    const json paused = host.provider_status();
    CHECK(paused["rate_scale"] == 0.0);
    CHECK(paused["detail"].get<std::string>().find("dropped") != std::string::npos);
    const auto published = paused["published_total"].get<std::int64_t>();
    // Nothing while paused: what the host had accepted when the blast was fully read equals
    // what it had accepted when the pause was seen (no fixed window of watching).
    CHECK(host.provider_status()["published_total"].get<std::int64_t>() == published);
    REQUIRE(host.stop() == 0);
    // stop() publishes what the provider still held, and the queue accepts it (lossless stop):
    // never fewer than before, and no drop counted for it.
    CHECK(host.summary()["providers"]["ibkr"]["published"].get<std::int64_t>() >= published);
    const ProviderSummary summary = provider_summary(host.output());
    CHECK(summary.trades == kBlast / 6);  // every message was decoded
    CHECK(summary.dropped_trades > 0);
    CHECK(summary.dropped_trades <= summary.trades);
}

TEST_CASE("a bad plugin config is reported with the file and the key path by check-config", "[ibkr][host][config]") {
    TempDir dir("ibkr-host-check");
    const json config = {
        {"plugin_path", json::array({MDP_PLUGIN_DIR})},
        {"store", {{"sinks", json::array({{{"type", "null"}}})}}},
        {"providers",
         json::array(
             {{{"name", "ibkr"},
               {"plugin", "ibkr"},
               {"config", {{"contracts", json::array({"A", "B", "C", {{"symbol", "D"}, {"sec_type", "STOCK"}}})}}}}})}};
    const auto path = dir.write_file("bad.json", config.dump());
    const auto result = mdp::test::run_to_completion(MDP_HOST_BINARY, {"--config", path.string(), "--check-config"});
    CHECK(result.exit_code == 2);
    CHECK(result.output.find("bad.json: providers[0].config.contracts[3].sec_type: expected one of \"STK\"") !=
          std::string::npos);
    CHECK(result.output.find("found \"STOCK\"") != std::string::npos);

    const auto plugins =
        mdp::test::run_to_completion(MDP_HOST_BINARY, {"--list-plugins", "--plugin-path", MDP_PLUGIN_DIR});
    CHECK(plugins.exit_code == 0);
    CHECK(plugins.output.find("ibkr") != std::string::npos);
}
