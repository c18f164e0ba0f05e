// The status page of the real mdp-host in headless Chromium: each provider instance with its
// plugin and state, the sink with its rows, the queue; and a screenshot in the build tree.
#include "headless_chromium.hpp"
#include "synthetic_host.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace std::chrono_literals;

TEST_CASE("the real host's status page shows each provider running and the sink writing", "[http][host][browser]") {
    REQUIRE(std::filesystem::exists(mdp::test::kChromiumBinary));
    mdp::test::SyntheticHostOptions options;
    options.provider_names = {"synthetic", "ibkr"};
    options.rate_per_symbol = 50;
    mdp::test::SyntheticHost host(options);
    INFO(host.output());
    REQUIRE(mdp::test::eventually([&] { return host.status()["sinks"][0]["events_stored"].get<std::uint64_t>() > 0; },
                                  60s));

    const std::string url = "http://127.0.0.1:" + std::to_string(host.port()) + "/";
    const auto result = mdp::test::chromium_dump_dom(url);
    const std::string& dom = result.output;
    INFO(dom);
    REQUIRE(result.exit_code == 0);
    REQUIRE(dom.find("data-loaded=\"true\"") != std::string::npos);
    for (const std::string name : {"synthetic", "ibkr"}) {
        const std::string row = mdp::test::provider_row(dom, name);
        INFO("provider " << name);
        REQUIRE_FALSE(row.empty());
        CHECK(row.find("data-state=\"running\"") != std::string::npos);
        CHECK(row.find(">running</span>") != std::string::npos);
        CHECK(row.find(">synthetic ") != std::string::npos);  // plugin id and version
        CHECK(row.find(">ok</span>") != std::string::npos);  // backpressure level
    }
    CHECK(dom.find("<tr data-sink=\"main\">") != std::string::npos);
    CHECK(dom.find("id=\"ready-badge\">ready<") != std::string::npos);
    CHECK(dom.find("id=\"queue-level\">ok<") != std::string::npos);

    const auto screenshot = std::filesystem::path(MDP_BINARY_DIR) / "tests" / "http" / "status-page-host.png";
    std::filesystem::create_directories(screenshot.parent_path());
    std::filesystem::remove(screenshot);
    CHECK(mdp::test::chromium_screenshot(url, screenshot).exit_code == 0);
    CHECK(std::filesystem::exists(screenshot));
    CHECK(host.stop() == 0);
}
