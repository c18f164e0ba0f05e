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
