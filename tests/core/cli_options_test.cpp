// mdp-host's command line parsing.

#include "app/cli_options.hpp"

#include <catch2/catch.hpp>

using mdp::app::Command;
using mdp::app::parse_cli;

TEST_CASE("commands and options parse", "[cli]") {
    CHECK(parse_cli({"--config", "a.json"}, nullptr).command == Command::run);
    const auto check = parse_cli({"--config", "a.json", "--check-config", "--check-sinks"}, nullptr);
    CHECK(check.command == Command::check_config);
    CHECK(check.check_sinks);
    const auto list = parse_cli({"--list-plugins", "--plugin-path", "/a", "--plugin-path", "/b"}, nullptr);
    CHECK(list.command == Command::list_plugins);
    CHECK(list.plugin_paths == std::vector<std::string>{"/a", "/b"});
    CHECK(parse_cli({"--version"}, nullptr).command == Command::version);
    CHECK(parse_cli({}, "from-env.json").config_file == "from-env.json");
}

TEST_CASE("bad command lines are explained", "[cli]") {
    CHECK_THROWS_WITH(parse_cli({"--frobnicate"}, nullptr), Catch::Contains("unknown argument \"--frobnicate\""));
    CHECK_THROWS_WITH(parse_cli({"--config"}, nullptr), Catch::Contains("--config needs a value"));
    CHECK_THROWS_WITH(parse_cli({}, nullptr), Catch::Contains("no config file"));
}
