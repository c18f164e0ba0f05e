// docs/writing-a-provider.md cannot rot: every ```cpp block in it is built as a plugin (the
// way mdp_add_provider_plugin builds one), must load in mdp-host, and must accept a config
// in --check-config.
#include "host_harness.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace mdp::test;

namespace {

std::vector<std::string> cpp_blocks(const std::filesystem::path& markdown) {
    std::ifstream stream(markdown);
    REQUIRE(stream);
    std::vector<std::string> blocks;
    std::string line;
    std::optional<std::string> block;
    while (std::getline(stream, line)) {
        if (!block && line == "```cpp") {
            block.emplace();
        } else if (block && line == "```") {
            blocks.push_back(*block);
            block.reset();
        } else if (block) {
            *block += line + "\n";
        }
    }
    REQUIRE_FALSE(block.has_value());  // an unterminated block
    return blocks;
}

}  // namespace

TEST_CASE("the provider guide's code blocks build into plugins that load in mdp-host", "[plugins][guide]") {
    const std::filesystem::path source_dir = MDP_SOURCE_DIR;
    const auto blocks = cpp_blocks(source_dir / "docs" / "writing-a-provider.md");
    REQUIRE(!blocks.empty());
    TempDir dir("mdp-guide");
    const auto plugins = dir / "plugins";
    std::filesystem::create_directories(plugins);
    for (std::size_t index = 0; index < blocks.size(); ++index) {
        INFO("code block " << index + 1 << ":\n" << blocks[index]);
        const auto source = dir / ("block" + std::to_string(index + 1) + ".cpp");
        std::ofstream(source) << blocks[index];
        const auto built = run_to_completion(
            MDP_CXX_COMPILER,
            {"-std=c++20", "-O0", "-shared", "-fPIC", "-fvisibility=hidden", "-Wall", "-Wextra", "-Wpedantic",
             "-Werror", "-I" + (source_dir / "plugin-api" / "include").string(), "-pthread", "-Wl,--no-undefined",
             "-Wl,--version-script=" + (source_dir / "plugin-api" / "cmake" / "mdp-plugin-exports.map").string(), "-o",
             (plugins / ("mdp_guide" + std::to_string(index + 1) + ".so")).string(), source.string()},
            std::chrono::minutes(5));
        INFO(built.output);
        REQUIRE(built.exit_code == 0);
    }
    const auto listed = run_to_completion(MDP_HOST_BINARY, {"--list-plugins", "--plugin-path", plugins.string()});
    INFO(listed.output);
    const auto listing = plugin_listing(listed.output);
    REQUIRE(listing.size() == blocks.size());
    for (const auto& [file, block] : listing) {
        CHECK(block.find("loadable: yes") != std::string::npos);
    }

    // The guide's counter provider validates its config as the guide says.
    auto config = base_host_config(dir);
    config["plugin_path"] = {plugins.string()};
    config["providers"].push_back(provider_entry("count", "counter", {{"symbol", "AAA"}, {"rate", 50}}));
    const auto good = run_to_completion(
        MDP_HOST_BINARY, {"--check-config", "--config", write_host_config(dir, config, "good.json").string()});
    INFO(good.output);
    CHECK(good.exit_code == 0);
    config["providers"][0]["config"]["rat"] = 5;
    const auto bad = run_to_completion(
        MDP_HOST_BINARY, {"--check-config", "--config", write_host_config(dir, config, "bad.json").string()});
    INFO(bad.output);
    CHECK(bad.exit_code == 2);
    CHECK(lines_containing(bad.output, {R"(providers[0].config.rat: unknown key; )", R"((did you mean "rate"?))"})
              .size() == 1);
}
