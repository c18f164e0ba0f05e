// Broken plugins inside the real mdp-host: each is reported failed with its reason while a
// good provider keeps running and storing; a required one that fails stops the host.
#include "host_harness.hpp"
#include "sqlite_reader.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>

using namespace mdp::test;

namespace {

struct BrokenPlugin {
    std::string provider;  // instance name in the config
    std::string plugin;  // file name inside MDP_TEST_PLUGIN_DIR
    std::string reason;  // what the report must say
};

const std::vector<BrokenPlugin>& broken_plugins() {
    static const std::vector<BrokenPlugin> plugins = {
        {"no-entry", "mdp_no_entry.so", "mdp_plugin_entry"},
        {"wrong-major", "mdp_wrong_major.so", "2.0.0"},
        {"factory-error", "mdp_factory_error.so", "factory refused: this test plugin never creates a provider"},
        {"throws-in-start", "mdp_throws_in_start.so", "deliberate start failure"},
        {"not-a-library", "mdp_not_a_shared_object.so", "not a shared object"},
    };
    return plugins;
}

}  // namespace

TEST_CASE("broken plugins are reported failed with their reason while a good provider stores events",
          "[plugins][host][failures]") {
    TempDir dir("mdp-broken-plugins");
    auto config = base_host_config(dir);
    for (const auto& broken : broken_plugins()) {
        config["providers"].push_back(provider_entry(broken.provider, broken.plugin));
    }
    config["providers"].push_back(provider_entry(
        "good", "synthetic", {{"symbols", {"AAA", "BBB"}}, {"rate_per_symbol", 0}, {"max_events", 2000}, {"seed", 9}}));
    const auto run = run_host_until_output(write_host_config(dir, config), "finished: 2000 events");
    INFO(run.output);
    REQUIRE(run.became_ready);
    REQUIRE(run.exit_code == 0);

    for (const auto& broken : broken_plugins()) {
        INFO("provider " << broken.provider << " should be reported failed with \"" << broken.reason << "\"");
        CHECK_FALSE(lines_containing(run.output, {broken.provider, broken.reason}).empty());
        CHECK_FALSE(lines_containing(run.output, {broken.provider, "failed"}).empty());
    }
    REQUIRE(run.summary.is_object());
    INFO(run.summary.dump(2));
    CHECK(summary_count(run.summary, "good") == 2000);
    CHECK(run.summary["sinks"]["main"]["stored"] == 2000);
    const auto database = dir / "mdp.sqlite";
    CHECK(count_rows(database, "quotes", "good") + count_rows(database, "trades", "good") +
              count_rows(database, "bars", "good") ==
          2000);
}

TEST_CASE("a required provider that fails makes the host exit 1 with the reason", "[plugins][host][failures]") {
    const auto [plugin, reason] = GENERATE(values<std::pair<std::string, std::string>>({
        {"mdp_factory_error.so", "factory refused"},
        {"mdp_throws_in_start.so", "deliberate start failure"},
        {"mdp_no_entry.so", "mdp_plugin_entry"},
    }));
    TempDir dir("mdp-required-failure");
    auto config = base_host_config(dir);
    config["providers"].push_back(
        provider_entry("good", "synthetic", {{"symbols", {"AAA"}}, {"rate_per_symbol", 10}, {"seed", 1}}));
    auto essential = provider_entry("essential", plugin, nlohmann::json::object(), true);
    essential["restart"] = {{"policy", "never"}};  // the failure itself, not the restart policy, is under test
    config["providers"].push_back(essential);
    const auto path = write_host_config(dir, config);
    const auto result = run_to_completion(MDP_HOST_BINARY, {"--config", path.string()}, std::chrono::seconds(60));
    INFO(plugin << "\n" << result.output);
    CHECK(result.exit_code == 1);  // docs/operations.md; a hang throws in run_to_completion
    CHECK_FALSE(lines_containing(result.output, {"essential", reason}).empty());
}
