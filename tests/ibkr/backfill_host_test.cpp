// The bar backfill end to end: mdp-host with the ibkr plugin against mdp-fake-tws, which cuts
// the connection and then refuses connections for a scripted outage. Afterwards every
// contract's 5-second bars in SQLite run without a hole from the first to the last, the
// bars the outage lost came from reqHistoricalData (the provider's backfill accounting and
// the gateway's answers agree with the rows), and the gateway saw no pacing violation.

#include "host_fixture.hpp"
#include "sqlite_reader.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <regex>
#include <string>

using namespace mdp::ibkr::test;
using namespace std::chrono_literals;
using mdp::test::eventually;
using mdp::test::SqliteReader;
using mdp::test::TempDir;
using nlohmann::json;

namespace {

constexpr auto kPatience = 90s;
constexpr std::int64_t kBarNs = 5'000'000'000;
const std::vector<std::string> kSymbols = {"AAPL", "IBM", "MSFT"};

// The numbers of the provider's "ibkr backfill summary:" log line (-1 when absent).
struct BackfillSummary {
    std::int64_t gaps = -1, recovered = -1, bars = -1, requests = -1, refused = -1, unfinished = -1;
};

BackfillSummary backfill_summary(const std::string& log) {
    const std::regex pattern(
        R"(ibkr backfill summary: (\d+) gaps in the live bars, (\d+) recovered with (\d+) bars in (\d+) requests, (\d+) refused, (\d+) unfinished)");
    std::smatch match;
    BackfillSummary summary;
    if (std::regex_search(log, match, pattern)) {
        summary.gaps = std::stoll(match[1]);
        summary.recovered = std::stoll(match[2]);
        summary.bars = std::stoll(match[3]);
        summary.requests = std::stoll(match[4]);
        summary.refused = std::stoll(match[5]);
        summary.unfinished = std::stoll(match[6]);
    }
    return summary;
}

// Bars the gateway answered, summed over its "historicalData id=N symbol=S bars=K" lines.
std::int64_t answered_bars(const std::string& gateway_output) {
    const std::regex pattern(R"(historicalData id=\d+ symbol=\w+ bars=(\d+))");
    std::int64_t total = 0;
    for (auto it = std::sregex_iterator(gateway_output.begin(), gateway_output.end(), pattern);
         it != std::sregex_iterator(); ++it) {
        total += std::stoll((*it)[1]);
    }
    return total;
}

}  // namespace

TEST_CASE("a 25 s outage leaves no hole in any contract's 5-second bars: the backfill fills it within IB's pacing",
          "[ibkr][host][backfill]") {
    TempDir dir("ibkr-host-backfill");
    // Real 5-second bars; 12 s after the first connection is ready it is cut (RST) and every
    // connection is refused for the next 25 s.
    FakeTwsProcess gateway(
        dir, {"--rate", "5", "--bar-interval-ms", "5000", "--fault", "12000:disconnect", "--outage-ms", "25000"});
    const json provider = {{"config",
                            {{"port", gateway.port()},
                             {"contracts", kSymbols},
                             {"real_time_bars", true},
                             {"reconnect", {{"initial_delay_ms", 100}, {"max_delay_ms", 1000}}}}}};
    HostProcess host(dir, provider);

    REQUIRE(gateway.wait_for("outage: refusing connections", kPatience));
    // Back after the outage: each contract's first live bar shows the hole, which is requested
    // and answered once per contract.
    REQUIRE(eventually([&] { return gateway.count("historicalData id=") == kSymbols.size(); }, kPatience));
    REQUIRE(eventually(
        [&] {
            const std::string detail = host.provider_status().value("detail", "");
            return detail.find("recovered in 3 of 3 gaps") != std::string::npos;
        },
        kPatience));
    REQUIRE(host.stop() == 0);

    // No hole: consecutive 5 s bar starts from each contract's first bar to its last, and
    // the outage lies between them.
    SqliteReader db(host.database());
    std::int64_t rows = 0;
    for (const std::string& symbol : kSymbols) {
        const auto bars = db.rows("SELECT ts, interval_ns FROM bars WHERE symbol = '" + symbol + "' ORDER BY ts");
        INFO(symbol);
        REQUIRE(bars.size() >= 8);  // at least 2 bars before, 5 during and 1 after the outage
        for (std::size_t index = 0; index < bars.size(); ++index) {
            CHECK(bars[index][1] == std::to_string(kBarNs));
            if (index > 0) {
                CHECK(std::stoll(bars[index][0]) - std::stoll(bars[index - 1][0]) == kBarNs);
            }
        }
        rows += static_cast<std::int64_t>(bars.size());
    }

    // The backfilled bars are the ones TWS answered, each published once and flagged (the
    // provider counts what it flagged; SQLite keeps no flags for bars): every stored row is
    // a live bar or one of them, none both.
    const BackfillSummary summary = backfill_summary(host.output());
    CHECK(summary.gaps == 3);
    CHECK(summary.recovered == 3);
    CHECK(summary.requests == 3);
    CHECK(summary.refused == 0);
    CHECK(summary.unfinished == 0);
    CHECK(summary.bars >= std::int64_t{3} * 4);  // 25 s is at least four whole 5-second bars per contract
    CHECK(summary.bars == answered_bars(gateway.output()));
    const json& ibkr = host.summary()["providers"]["ibkr"];
    CHECK(ibkr["by_type"]["bar"].get<std::int64_t>() == rows);

    // IB's historical pacing: nothing refused, on any connection.
    CHECK(gateway.count("historical pacing violation") == 0);
    const std::string output = gateway.output();
    CHECK_FALSE(std::regex_search(output, std::regex("historical requests refused for pacing: [1-9]")));
}
