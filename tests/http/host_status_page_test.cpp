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

namespace {

// The number in `data-points="N"` of the chart `name` in a dumped DOM (-1 when absent).
long chart_points(const std::string& dom, const std::string& name) {
    const std::string key = "data-chart=\"" + name + "\" data-points=\"";
    const std::size_t at = dom.find(key);
    return at == std::string::npos ? -1 : std::stol(dom.substr(at + key.size()));
}

// A rate is known for the newest sample of every series in `series`.
bool newest_rates_known(const nlohmann::json& series, const char* key) {
    for (const auto& line : series) {
        if (line.at(key).empty() || line.at(key).back().is_null()) {
            return false;
        }
    }
    return !series.empty();
}

}  // namespace

TEST_CASE("the real host's charts have data points after a few samples, provider names escaped",
          "[http][host][browser][history]") {
    REQUIRE(std::filesystem::exists(mdp::test::kChromiumBinary));
    const std::string hostile = "<b>feed</b>&amp;";  // a valid instance name: no spaces or quotes
    mdp::test::SyntheticHostOptions options;
    options.provider_names = {"synthetic", hostile};
    options.rate_per_symbol = 50;
    mdp::test::SyntheticHost host(options);
    INFO(host.output());

    // Three samples: the baseline and two rates per series (one sample every 5 s).
    nlohmann::json history;
    REQUIRE(mdp::test::eventually(
        [&] {
            history = nlohmann::json::parse(host.get("/api/v1/history").body);
            return history.at("time_ns").size() >= 3 &&
                   newest_rates_known(history.at("providers"), "events_per_second") &&
                   newest_rates_known(history.at("sinks"), "stored_per_second");
        },
        60s));
    INFO(history.dump());
    CHECK(history.at("queue").at("capacity") == 2000);
    CHECK(history.at("queue").at("high_watermark") == 1600);
    REQUIRE(history.at("providers").size() == 2);
    CHECK(history.at("providers")[1].at("name") == hostile);
    CHECK(history.at("providers")[0].at("events_per_second").back().get<double>() > 0.0);  // it is publishing
    CHECK(history.at("sinks")[0].at("stored_per_second").back().get<double>() > 0.0);

    const auto result = mdp::test::chromium_dump_dom("http://127.0.0.1:" + std::to_string(host.port()) + "/");
    const std::string& dom = result.output;
    INFO(dom);
    REQUIRE(result.exit_code == 0);
    REQUIRE(dom.find("data-loaded=\"true\"") != std::string::npos);
    CHECK(chart_points(dom, "queue") >= 3);
    CHECK(chart_points(dom, "level") >= 3);
    CHECK(chart_points(dom, "providers") >= 4);  // two providers, two rates each at least
    CHECK(chart_points(dom, "sinks") >= 2);
    CHECK(dom.find("<span class=\"legend-name\">&lt;b&gt;feed&lt;/b&gt;&amp;amp;</span>") != std::string::npos);
    CHECK(dom.find("<title>&lt;b&gt;feed&lt;/b&gt;&amp;amp;</title>") != std::string::npos);
    CHECK(host.stop() == 0);
}
