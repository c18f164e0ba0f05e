// The exported entry of built plugins, read the way a host does (dlopen + dlsym): what the
// SDK macro (synthetic) and a hand-written C entry (c_provider) put there, and that the
// entry functions tolerate unknown and NULL ids.
#include "abi_layout.h"
#include "child_process.hpp"

#include <mdp/plugin.hpp>

#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <array>
#include <sstream>
#include <memory>
#include <string>

namespace {

struct LibraryCloser {
    void operator()(void* handle) const { dlclose(handle); }
};
using Library = std::unique_ptr<void, LibraryCloser>;

Library open_plugin(const std::string& path) {
    Library library(dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL));
    INFO("dlopen " << path << ": " << (library ? "ok" : dlerror()));
    REQUIRE(library);
    return library;
}

const mdp_plugin_entry_t& entry_of(const Library& library) {
    const auto* entry = static_cast<const mdp_plugin_entry_t*>(dlsym(library.get(), MDP_PLUGIN_ENTRY_SYMBOL));
    REQUIRE(entry != nullptr);
    return *entry;
}

}  // namespace

TEST_CASE("plugin entry: the SDK macro exports a complete entry for this ABI", "[abi][sdk][entry]") {
    const auto library = open_plugin(std::string(MDP_PLUGIN_DIR) + "/mdp_synthetic.so");
    const mdp_plugin_entry_t& entry = entry_of(library);
    CHECK(entry.size == sizeof(mdp_plugin_entry_t));
    CHECK(entry.abi_version.major == MDP_ABI_VERSION_MAJOR);
    // Without a url the plugin needs nothing newer than 1.0, so that is what the SDK stamps.
    CHECK(entry.abi_version.minor == 0);
    REQUIRE(entry.descriptor != nullptr);
    CHECK(entry.descriptor->size == sizeof(mdp_plugin_descriptor_t));
    CHECK(std::string(entry.descriptor->id) == "synthetic");
    CHECK(std::string(entry.descriptor->version) == "1.0.0");
    CHECK(entry.descriptor->url == nullptr);
    REQUIRE(entry.get_factory != nullptr);
    CHECK(entry.get_factory(nullptr) == nullptr);
    CHECK(entry.get_factory("mdp.provider-factory/999") == nullptr);

    const auto* factory = static_cast<const mdp_provider_factory_t*>(entry.get_factory(MDP_PROVIDER_FACTORY_ID));
    REQUIRE(factory != nullptr);
    CHECK(factory->size == sizeof(mdp_provider_factory_t));
    // A NULL config is read as empty: a config error, not a crash.
    std::array<char, 256> error{};
    CHECK(factory->create(factory, nullptr, "x", nullptr, error.data(), error.size()) == nullptr);
    CHECK(std::string(error.data()).rfind("symbols: ", 0) == 0);
}

TEST_CASE("plugin entry: the SDK stamps the oldest ABI minor the plugin needs", "[abi][sdk][entry]") {
    using mdp::sdk::detail::make_descriptor;
    using mdp::sdk::detail::stamped_abi_version;
    static_assert(stamped_abi_version(make_descriptor("a", "A", "1", "v", "d")).minor == 0);
    static_assert(stamped_abi_version(make_descriptor("a", "A", "1", "v", "d", "https://x")).minor == 1);
    static_assert(stamped_abi_version(make_descriptor("a", "A", "1", "v", "d")).patch == 0);
}

TEST_CASE("plugin entry: the C plugin's hand-written entry", "[abi][entry][c]") {
    const auto library = open_plugin(std::string(MDP_TEST_PLUGIN_DIR) + "/mdp_c_provider.so");
    const mdp_plugin_entry_t& entry = entry_of(library);
    CHECK(entry.size == sizeof(mdp_plugin_entry_t));
    REQUIRE(entry.descriptor != nullptr);
    CHECK(std::string(entry.descriptor->id) == "c_provider");
    CHECK(entry.get_factory(nullptr) == nullptr);
    const auto* factory = static_cast<const mdp_provider_factory_t*>(entry.get_factory(MDP_PROVIDER_FACTORY_ID));
    REQUIRE(factory != nullptr);
    std::array<char, 256> error{};
    CHECK(factory->create(factory, nullptr, "x", "{\"unexpected\": 1}", error.data(), error.size()) == nullptr);
    CHECK(std::string(error.data()) == "expected an empty object (this provider has no settings)");
}

TEST_CASE("plugin entry: the older-minor plugin declares ABI 1.0 with the 1.0 descriptor size", "[abi][entry]") {
    const auto library = open_plugin(std::string(MDP_TEST_PLUGIN_DIR) + "/mdp_older_minor.so");
    const mdp_plugin_entry_t& entry = entry_of(library);
    CHECK(entry.abi_version.major == 1);
    CHECK(entry.abi_version.minor == 0);
    REQUIRE(entry.descriptor != nullptr);
    CHECK(entry.descriptor->size == MDP_PLUGIN_DESCRIPTOR_SIZE_1_0);
    CHECK(mdp_abi_is_compatible(mdp_abi_version_t MDP_ABI_VERSION_INIT, entry.abi_version));
}

TEST_CASE("plugin entry: bundled plugins export mdp_plugin_entry and nothing else", "[abi][entry][exports]") {
    for (const std::string name : {"mdp_synthetic.so", "mdp_replay.so"}) {
        const auto result =
            mdp::test::run_to_completion("nm", {"-D", "--defined-only", std::string(MDP_PLUGIN_DIR) + "/" + name});
        INFO(name << ":\n" << result.output);
        REQUIRE(result.exit_code == 0);
        std::istringstream lines(result.output);
        std::vector<std::string> symbols;
        for (std::string line; std::getline(lines, line);) {
            if (!line.empty()) {
                symbols.push_back(line.substr(line.rfind(' ') + 1));
            }
        }
        CHECK(symbols == std::vector<std::string>{"mdp_plugin_entry"});
    }
}
