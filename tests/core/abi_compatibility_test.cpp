// The ABI compatibility rule: same major, plugin minor not newer than the host's.

#include "plugins/plugin_library.hpp"

#include <catch2/catch.hpp>

TEST_CASE("ABI rule: same major and plugin minor <= host minor", "[abi]") {
    const mdp_abi_version_t host{1, 3, 0};
    CHECK(mdp_abi_is_compatible(host, {1, 0, 0}));
    CHECK(mdp_abi_is_compatible(host, {1, 3, 9}));
    CHECK_FALSE(mdp_abi_is_compatible(host, {1, 4, 0}));
    CHECK_FALSE(mdp_abi_is_compatible(host, {2, 0, 0}));
    CHECK_FALSE(mdp_abi_is_compatible(host, {0, 3, 0}));
}

TEST_CASE("the host implements the header's ABI version", "[abi]") {
    const auto version = mdp::plugins::host_abi_version();
    CHECK(version.major == MDP_ABI_VERSION_MAJOR);
    CHECK(version.minor == MDP_ABI_VERSION_MINOR);
    CHECK(mdp::plugins::to_string(version) == std::to_string(MDP_ABI_VERSION_MAJOR) + "." +
                                                  std::to_string(MDP_ABI_VERSION_MINOR) + "." +
                                                  std::to_string(MDP_ABI_VERSION_PATCH));
}

TEST_CASE("loading a file that is not a plugin names the file and the reason", "[abi]") {
    CHECK_THROWS_WITH(mdp::plugins::PluginLibrary::load("/nonexistent/mdp_x.so", {}),
                      Catch::Contains("/nonexistent/mdp_x.so: no such plugin file"));
}

TEST_CASE("a plugin built with today's SDK loads on a host that implements ABI 1.0", "[abi][sdk]") {
    // The synthetic plugin uses nothing newer than 1.0, so the SDK stamps 1.0 into it.
    const auto library =
        mdp::plugins::PluginLibrary::load(std::string(MDP_PLUGIN_DIR) + "/mdp_synthetic.so", {}, {1, 0, 0});
    CHECK(library->info().abi_version.major == 1);
    CHECK(library->info().abi_version.minor == 0);
    CHECK(library->info().id == "synthetic");
    CHECK(library->provider_factory() != nullptr);
}

TEST_CASE("a plugin that needs a newer minor is refused by an older host, naming both versions", "[abi]") {
    const std::string file = std::string(MDP_CORE_TEST_PLUGIN_DIR) + "/mdp_url_provider.so";
    CHECK_THROWS_WITH(mdp::plugins::PluginLibrary::load(file, {}, {1, 0, 0}),
                      Catch::Contains("incompatible plugin ABI 1.1.0; this host implements ABI 1.0.0"));
    CHECK(mdp::plugins::PluginLibrary::load(file, {})->info().url == "https://example.com/mdp/url-provider");
}
