// The out-of-tree route a plugin author takes: install the plugin API, build
// examples/out-of-tree-provider against the installed package (find_package), drop the .so
// into a plugin directory, list it and run it in mdp-host.
#include "host_harness.hpp"
#include "sqlite_reader.hpp"

#include <catch2/catch.hpp>

using namespace mdp::test;

namespace {

constexpr std::chrono::minutes kBuildPatience{10};

RunResult run_cmake(const std::vector<std::string>& arguments) {
    return run_to_completion(MDP_CMAKE_COMMAND, arguments, kBuildPatience);
}

}  // namespace

TEST_CASE("an out-of-tree provider builds against the installed plugin API and runs in mdp-host",
          "[plugins][host][out-of-tree]") {
    TempDir dir("mdp-out-of-tree");
    const auto prefix = dir / "prefix";

    // 1. Install only the plugin API (headers + CMake package) from this build tree. The
    //    plugin-api directory's install script is exactly that component.
    const auto install = run_cmake({"-DCMAKE_INSTALL_PREFIX=" + prefix.string(), "-P",
                                    std::string(MDP_BINARY_DIR) + "/plugin-api/cmake_install.cmake"});
    INFO(install.output);
    REQUIRE(install.exit_code == 0);
    REQUIRE(std::filesystem::exists(prefix / "include" / "mdp" / "plugin_api.h"));
    REQUIRE(std::filesystem::exists(prefix / "include" / "mdp" / "plugin.hpp"));

    // 2. Configure and build the example as a separate project, finding the package by prefix.
    const auto build = dir / "build";
    const auto configure =
        run_cmake({"-S", std::string(MDP_SOURCE_DIR) + "/examples/out-of-tree-provider", "-B", build.string(), "-G",
                   MDP_CMAKE_GENERATOR, "-DCMAKE_PREFIX_PATH=" + prefix.string(),
                   "-DCMAKE_CXX_COMPILER=" + std::string(MDP_CXX_COMPILER), "-DCMAKE_BUILD_TYPE=Release"});
    INFO(configure.output);
    REQUIRE(configure.exit_code == 0);
    const auto compile = run_cmake({"--build", build.string(), "--parallel", "1"});
    INFO(compile.output);
    REQUIRE(compile.exit_code == 0);
    REQUIRE(std::filesystem::exists(build / "mdp_ticker.so"));

    // 3. Drop it into a plugin directory of its own.
    const auto plugins = dir / "plugins";
    std::filesystem::create_directories(plugins);
    std::filesystem::copy_file(build / "mdp_ticker.so", plugins / "mdp_ticker.so");

    const auto listed = run_to_completion(MDP_HOST_BINARY, {"--list-plugins", "--plugin-path", plugins.string()});
    INFO(listed.output);
    CHECK(listed.exit_code == 0);
    const auto listing = plugin_listing(listed.output);
    REQUIRE(listing.count("mdp_ticker.so") == 1);
    CHECK(listing.at("mdp_ticker.so").find("id: ticker") != std::string::npos);
    CHECK(listing.at("mdp_ticker.so").find("version: 1.0.0") != std::string::npos);
    CHECK(listing.at("mdp_ticker.so").find("loadable: yes") != std::string::npos);
    CHECK(listing.at("mdp_ticker.so").find("url: https://example.com/mdp-ticker") != std::string::npos);

    // The installed helper exports exactly the entry symbol, nothing of libstdc++.
    const auto symbols = run_to_completion("nm", {"-D", "--defined-only", (build / "mdp_ticker.so").string()});
    INFO(symbols.output);
    REQUIRE(symbols.exit_code == 0);
    CHECK(lines_containing(symbols.output, {" "}).size() == 1);
    CHECK(symbols.output.find(" mdp_plugin_entry") != std::string::npos);

    // 4. Its config errors reach --check-config with the path inside the config.
    nlohmann::json config = {
        {"plugin_path", {"plugins"}},  // relative to the config file's directory
        {"http", {{"enabled", false}}},
        {"store", {{"sinks", {{{"type", "sqlite"}, {"name", "main"}, {"path", "data/ticker.sqlite"}}}}}},
        {"providers", {provider_entry("ticks", "ticker", {{"symbols", {"AAA", "BBB"}}, {"interval_ms", "fast"}})}},
    };
    const auto bad = write_host_config(dir, config, "bad.json");
    const auto checked = run_to_completion(MDP_HOST_BINARY, {"--check-config", "--config", bad.string()});
    INFO(checked.output);
    CHECK(checked.exit_code == 2);
    CHECK(
        lines_containing(checked.output, {R"(providers[0].config.interval_ms: expected an integer from 10 to 3600000, )"
                                          R"(found "fast")"})
            .size() == 1);

    // 5. Run it until a few ticks are stored, then stop it and compare.
    config["providers"][0]["config"]["interval_ms"] = 50;
    const auto good = write_host_config(dir, config, "ticker.json");
    const auto check_good = run_to_completion(MDP_HOST_BINARY, {"--check-config", "--config", good.string()});
    INFO(check_good.output);
    REQUIRE(check_good.exit_code == 0);
    const auto database = dir / "data" / "ticker.sqlite";
    const auto run = run_host_until(good, [&](const std::string&) {
        try {
            return std::filesystem::exists(database) && count_rows(database, "trades", "ticks") >= 6;
        } catch (const std::exception&) {
            return false;  // tables not created yet
        }
    });
    INFO(run.output);
    REQUIRE(run.became_ready);
    REQUIRE(run.exit_code == 0);
    REQUIRE(run.summary.is_object());
    const std::int64_t published = summary_count(run.summary, "ticks", "trade");
    CHECK(published >= 6);
    CHECK(published % 2 == 0);  // one trade per symbol per tick
    CHECK(count_rows(database, "trades", "ticks") == published);
    CHECK(distinct_symbols(database, "trades", "ticks") == std::vector<std::string>{"AAA", "BBB"});
}
