// Per-symbol freshness in the real mdp-host: a synthetic symbol that stops publishing turns
// stale in GET /api/v1/symbols and in mdp_symbols while the others stay fresh.
#include "headless_chromium.hpp"
#include "synthetic_host.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace std::chrono_literals;
using nlohmann::json;

namespace {

json symbols_of(const mdp::test::SyntheticHost& host, const std::string& query) {
    const auto response = host.get("/api/v1/symbols" + query);
    if (response.status != 200) {
        throw std::runtime_error("GET /api/v1/symbols" + query + ": " + std::to_string(response.status) + " " +
                                 response.body);
    }
    return json::parse(response.body);
}

std::string state_of(const json& page, const std::string& symbol) {
    for (const auto& row : page["symbols"]) {
        if (row["symbol"] == symbol) {
            return row["state"].get<std::string>();
        }
    }
    return "absent";
}

}  // namespace

TEST_CASE("a synthetic symbol that stops publishing turns stale in /api/v1/symbols and mdp_symbols",
          "[http][host][freshness]") {
    mdp::test::SyntheticHostOptions options;
    options.config_patch = {{"providers",
                             {{{"name", "synthetic"},
                               {"plugin", "synthetic"},
                               {"config",
                                {{"symbols", {"AAA", "BBB"}},
                                 {"rate_per_symbol", 50},
                                 {"seed", 7},
                                 {"bar_intervals_seconds", json::array()},
                                 {"pause_symbols", {{{"symbol", "BBB"}, {"after_seconds", 2}}}}}},
                               {"freshness", {{"stale_after_seconds", 1}}}}}}};
    mdp::test::SyntheticHost host(options);
    INFO(host.output());
    // Both symbols are seen first (BBB publishes for 2 s) ...
    REQUIRE(mdp::test::eventually([&] { return symbols_of(host, "?provider=synthetic")["total"] == 2; }, 30s));
    // ... then BBB falls silent and turns stale while AAA keeps publishing.
    json page;
    REQUIRE(mdp::test::eventually(
        [&] {
            page = symbols_of(host, "");
            return state_of(page, "BBB") == "stale" && state_of(page, "AAA") == "fresh";
        },
        30s));
    INFO(page.dump());
    CHECK(page["providers"][0]["stale_after_seconds"] == 1);
    CHECK(symbols_of(host, "?state=stale")["symbols"][0]["symbol"] == "BBB");
    CHECK(symbols_of(host, "?state=stale")["total"] == 1);
    const auto unknown = host.get("/api/v1/symbols?provider=nope");
    CHECK(unknown.status == 400);
    CHECK_THAT(json::parse(unknown.body)["error"].get<std::string>(),
               Catch::Contains("no tracked provider is named \"nope\""));
    // The metric: per-provider counts, never a symbol in a label.
    std::string metrics;
    CHECK(mdp::test::eventually(
        [&] {
            metrics = host.get("/metrics").body;
            return metrics.find("mdp_symbols{provider=\"synthetic\",state=\"stale\"} 1\n") != std::string::npos &&
                   metrics.find("mdp_symbols{provider=\"synthetic\",state=\"fresh\"} 1\n") != std::string::npos;
        },
        30s));
    INFO(metrics);
    CHECK(metrics.find("mdp_symbols{provider=\"synthetic\",state=\"closed\"} 0\n") != std::string::npos);
    CHECK(metrics.find("BBB") == std::string::npos);
    // The status page's symbols view: counts per provider, the stale row first and highlighted.
    REQUIRE(std::filesystem::exists(mdp::test::kChromiumBinary));
    const auto page_dom = mdp::test::chromium_dump_dom("http://127.0.0.1:" + std::to_string(host.port()) + "/");
    const std::string& dom = page_dom.output;
    INFO(dom);
    REQUIRE(page_dom.exit_code == 0);
    REQUIRE(dom.find("data-loaded=\"true\"") != std::string::npos);
    const auto stale_row = dom.find("<tr class=\"stale\" data-symbol=\"BBB\" data-state=\"stale\">");
    const auto fresh_row = dom.find("<tr data-symbol=\"AAA\" data-state=\"fresh\">");
    CHECK(stale_row != std::string::npos);
    CHECK(fresh_row != std::string::npos);
    CHECK(stale_row < fresh_row);
    CHECK(dom.find("showing 2 of 2 symbols, stale first") != std::string::npos);
    CHECK(host.stop() == 0);
}
