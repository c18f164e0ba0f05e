// Plugins written in plain C against plugin_api.h, current and older ABI minor, in mdp-host.
#include "host_harness.hpp"
#include "sqlite_reader.hpp"

#include <catch2/catch.hpp>

using namespace mdp::test;

TEST_CASE("a C plugin runs in mdp-host and its events are stored", "[plugins][host][c]") {
    // c_provider is built against this ABI; older_minor declares ABI 1.0 with the 1.0
    // descriptor layout (see test-plugins/older_minor_entry.c).
    const std::string plugin = GENERATE(as<std::string>{}, "c_provider", "older_minor");
    TempDir dir("mdp-c-plugin");
    auto config = base_host_config(dir);
    config["providers"].push_back(provider_entry("cprov", plugin));
    const auto run = run_host_until_output(write_host_config(dir, config), "published 6 events");
    INFO(plugin << "\n" << run.output);
    REQUIRE(run.became_ready);
    REQUIRE(run.exit_code == 0);
    REQUIRE(run.summary.is_object());
    CHECK(summary_count(run.summary, "cprov") == 6);
    CHECK(summary_count(run.summary, "cprov", "quote") == 3);
    CHECK(summary_count(run.summary, "cprov", "trade") == 3);
    CHECK(run.summary["sinks"]["main"]["stored"] == 6);
    const auto database = dir / "mdp.sqlite";
    CHECK(count_rows(database, "quotes", "cprov") == 3);
    CHECK(count_rows(database, "trades", "cprov") == 3);
    CHECK(distinct_symbols(database, "trades", "cprov") == std::vector<std::string>{"CTEST"});
    CHECK(run.output.find("TRAP") == std::string::npos);
}
