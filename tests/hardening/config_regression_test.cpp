// Inputs the fuzzers found, kept as regression tests of the behaviour they broke.

#include "child_process.hpp"
#include "config/config_error.hpp"
#include "config/config_loader.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <string>

TEST_CASE("a number too large for a double is a config error, not a crash", "[hardening][config][fuzz]") {
    // Found by the config_loader fuzzer: nlohmann reports the overflow as out_of_range,
    // which escaped the loader and terminated the host.
    const std::string text = R"({"http": {"port": 1e999}})";
    try {
        (void)mdp::config::parse_host_config(text, "/etc/mdp/big.json", {});
        FAIL("the config was accepted");
    } catch (const mdp::config::ConfigError& error) {
        CHECK_THAT(error.what(), Catch::StartsWith("/etc/mdp/big.json: invalid JSON: number overflow parsing '1e999'"));
    }

    mdp::test::TempDir directory("mdp-config-overflow");
    const auto file = directory.write_file("big.json", text);
    const auto result = mdp::test::run_to_completion(MDP_HOST_BINARY, {"--check-config", "--config", file.string()});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Catch::Contains("number overflow parsing '1e999'"));
}
