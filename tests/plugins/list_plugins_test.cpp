// `mdp-host --list-plugins`: every file in the plugin directories with its id, version,
// ABI version and whether it loads (and why not).
#include "host_harness.hpp"

#include <mdp/plugin_api.h>

#include <catch2/catch.hpp>

using namespace mdp::test;

namespace {

struct Listed {
    std::string file;
    std::vector<std::string> facts;  // what its block must show
};

// The ABI version plugins built against this header declare, as listed.
std::string current_abi() {
    return "abi: " + std::to_string(MDP_ABI_VERSION_MAJOR) + "." + std::to_string(MDP_ABI_VERSION_MINOR) + "." +
           std::to_string(MDP_ABI_VERSION_PATCH);
}

std::string newer_minor_abi() {
    return std::to_string(MDP_ABI_VERSION_MAJOR) + "." + std::to_string(MDP_ABI_VERSION_MINOR + 1) + ".0";
}

void check_listed(const std::map<std::string, std::string>& listing, const Listed& plugin) {
    INFO("plugin file " << plugin.file);
    const auto found = listing.find(plugin.file);
    REQUIRE(found != listing.end());
    for (const auto& fact : plugin.facts) {
        INFO("block:\n" << found->second << "should contain: " << fact);
        CHECK(found->second.find(fact) != std::string::npos);
    }
}

}  // namespace

TEST_CASE("mdp-host --list-plugins shows each plugin with file, id, version, ABI version and loadability",
          "[plugins][host][list]") {
    const auto result = run_to_completion(MDP_HOST_BINARY, {"--list-plugins", "--plugin-path", MDP_TEST_PLUGIN_DIR});
    INFO(result.output);
    CHECK(result.exit_code == 0);
    const auto listing = plugin_listing(result.output);
    const std::vector<Listed> expected = {
        {"mdp_c_provider.so", {"id: c_provider", "version: 0.3.0", current_abi(), "loadable: yes"}},
        {"mdp_older_minor.so", {"id: older_minor", "version: 0.1.0", "abi: 1.0.0", "loadable: yes"}},
        // These load; they fail only when a provider is created or started.
        {"mdp_factory_error.so", {"id: factory_error", "version: 0.1.0", "loadable: yes"}},
        {"mdp_throws_in_start.so", {"id: throws_in_start", "version: 0.1.0", "loadable: yes"}},
        {"mdp_wrong_major.so", {"loadable: no", "2.0.0"}},
        // Refused, and (being a C++ library the loader never unmaps) must not be mistaken for
        // the plugins listed after it.
        {"mdp_newer_minor.so", {"loadable: no", newer_minor_abi()}},
        {"mdp_no_entry.so", {"loadable: no", "mdp_plugin_entry"}},
        {"mdp_not_a_shared_object.so", {"loadable: no", "not a shared object"}},
    };
    for (const auto& plugin : expected) {
        check_listed(listing, plugin);
    }
    CHECK(listing.size() == expected.size());
    CHECK(result.output.find("TRAP") == std::string::npos);  // 1.0 descriptor read within its size
}

TEST_CASE("mdp-host --list-plugins with --config lists the bundled synthetic plugin", "[plugins][host][list]") {
    TempDir dir("mdp-list");
    const auto path = write_host_config(dir, base_host_config(dir));
    const auto result = run_to_completion(MDP_HOST_BINARY, {"--list-plugins", "--config", path.string()});
    INFO(result.output);
    CHECK(result.exit_code == 0);
    // The SDK stamps the oldest ABI the plugin needs: synthetic uses nothing newer than 1.0.
    check_listed(plugin_listing(result.output),
                 {"mdp_synthetic.so", {"id: synthetic", "version: 1.0.0", "abi: 1.0.0", "loadable: yes"}});
}
