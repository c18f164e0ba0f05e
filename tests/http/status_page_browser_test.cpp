// Headless Chromium loads the status page from a real HttpServer; after its script ran,
// the DOM shows every provider with its state, and plugin strings stayed text.
#include "headless_chromium.hpp"
#include "sample_snapshot.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using mdp::test::kChromiumBinary;
using mdp::test::provider_row;

TEST_CASE("headless Chromium renders every provider with its state from the JSON API", "[http][browser]") {
    REQUIRE(std::filesystem::exists(kChromiumBinary));
    mdp::test::TestServer served(mdp::test::sample_snapshot(2));
    const std::string url = "http://127.0.0.1:" + std::to_string(served.port()) + "/";

    const auto result = mdp::test::chromium_dump_dom(url);
    const std::string& dom = result.output;
    INFO(dom);
    REQUIRE(result.exit_code == 0);
    REQUIRE(dom.find("data-loaded=\"true\"") != std::string::npos);  // the script fetched and rendered

    for (const auto& [name, state] : std::vector<std::pair<std::string, std::string>>{{"synthetic", "running"},
                                                                                      {"ibkr", "degraded"},
                                                                                      {"backup", "failed"},
                                                                                      {"extra-0", "running"},
                                                                                      {"extra-1", "running"}}) {
        const std::string row = provider_row(dom, name);
        INFO("provider " << name);
        REQUIRE_FALSE(row.empty());
        CHECK(row.find("data-state=\"" + state + "\"") != std::string::npos);
        CHECK(row.find(">" + state + "</span>") != std::string::npos);
    }
    // Plugin id and version, rate scale, level, sinks, queue and feedback are on the page.
    CHECK(provider_row(dom, "synthetic").find(">synthetic 1.2.3") != std::string::npos);
    CHECK(provider_row(dom, "ibkr").find(">hard</span>") != std::string::npos);
    CHECK(dom.find("<tr data-sink=\"main\">") != std::string::npos);
    CHECK(dom.find("<tr data-sink=\"archive\">") != std::string::npos);
    CHECK(dom.find(">circuit half-open</span>") != std::string::npos);
    CHECK(dom.find("quotes 100,000 · trades 23,000") != std::string::npos);
    CHECK(dom.find("circuit_open 12") != std::string::npos);
    CHECK(dom.find("id=\"queue-depth\">6,500<") != std::string::npos);
    CHECK(dom.find("id=\"queue-level\">soft<") != std::string::npos);
    CHECK(dom.find("depth crossed a watermark (hard)") != std::string::npos);
    CHECK(dom.find("required provider 'backup' is failed") != std::string::npos);

    // The hostile detail was shown as text: escaped in the DOM, and nothing of it ran.
    CHECK(dom.find("&lt;script&gt;document.body.setAttribute") != std::string::npos);
    CHECK(dom.find("&lt;img src=x onerror=") != std::string::npos);
    CHECK(dom.find("data-pwned") == dom.find("data-pwned','1')"));  // only inside the escaped text
    CHECK(dom.find("<img") == std::string::npos);
}

TEST_CASE("a screenshot of the status page is saved into the build tree", "[http][browser]") {
    REQUIRE(std::filesystem::exists(kChromiumBinary));
    mdp::test::TestServer served(mdp::test::sample_snapshot(2));
    const std::string url = "http://127.0.0.1:" + std::to_string(served.port()) + "/";
    const std::filesystem::path screenshot =
        std::filesystem::path(MDP_BINARY_DIR) / "tests" / "http" / "status-page.png";
    std::filesystem::create_directories(screenshot.parent_path());
    std::filesystem::remove(screenshot);

    const auto result = mdp::test::chromium_screenshot(url, screenshot);
    INFO(result.output);
    CHECK(result.exit_code == 0);
    REQUIRE(std::filesystem::exists(screenshot));
    CHECK(std::filesystem::file_size(screenshot) > 10000);
}

TEST_CASE("headless Chromium draws the four charts from the history, provider names as text", "[http][browser]") {
    REQUIRE(std::filesystem::exists(kChromiumBinary));
    mdp::test::TestServer served(mdp::test::sample_snapshot(), mdp::test::loopback_http_config(), [] {
        auto history = mdp::test::sample_history(20);
        history.sinks[0].name = "<svg onload=alert(1)>sink";  // sink names are shown the same way
        return history;
    });
    const auto result = mdp::test::chromium_dump_dom("http://127.0.0.1:" + std::to_string(served.port()) + "/");
    const std::string& dom = result.output;
    INFO(dom);
    REQUIRE(result.exit_code == 0);
    REQUIRE(dom.find("data-loaded=\"true\"") != std::string::npos);

    // Every sample with a value is a point: 20 depths and levels; the first rate is unknown,
    // so 19 per provider (two of them) and 19 for the sink.
    CHECK(dom.find("data-chart=\"queue\" data-points=\"20\"") != std::string::npos);
    CHECK(dom.find("data-chart=\"level\" data-points=\"20\"") != std::string::npos);
    CHECK(dom.find("data-chart=\"providers\" data-points=\"38\"") != std::string::npos);
    CHECK(dom.find("data-chart=\"sinks\" data-points=\"19\"") != std::string::npos);
    CHECK(dom.find("<polyline class=\"series\"") != std::string::npos);
    CHECK(dom.find(">high 8.0k</text>") != std::string::npos);  // the watermarks are drawn
    CHECK(dom.find(">low 5.0k</text>") != std::string::npos);
    CHECK(dom.find("20 of 180 samples, one every 5 s") != std::string::npos);

    // The hostile provider name is text in the legend and in the line's tooltip; no element
    // of it exists and nothing of it ran.
    const std::string escaped =
        "&lt;b&gt;feed&lt;/b&gt;&amp;amp;&lt;img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"&gt;";
    CHECK(dom.find("<span class=\"legend-name\">" + escaped + "</span>") != std::string::npos);
    CHECK(dom.find("<title>" + escaped + "</title>") != std::string::npos);
    CHECK(dom.find("<span class=\"legend-name\">&lt;svg onload=alert(1)&gt;sink</span>") != std::string::npos);
    CHECK(dom.find("<svg onload") == std::string::npos);
    CHECK(dom.find("<b>feed") == std::string::npos);
    CHECK(dom.find("<img") == std::string::npos);
    CHECK(dom.find("data-pwned=") == std::string::npos);
}
