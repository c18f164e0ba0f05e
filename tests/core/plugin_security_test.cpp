// Plugin loading that cannot be hijacked: location after symlinks, permissions and owner of
// file and directory, and SHA-256 pins — against the real synthetic plugin copied into a
// temp plugin directory.

#include "child_process.hpp"
#include "plugins/plugin_catalog.hpp"
#include "skip_policy.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

using mdp::plugins::PluginCatalog;
using mdp::plugins::PluginLoadError;
namespace fs = std::filesystem;

namespace {

const fs::path kSyntheticPlugin = fs::path(MDP_PLUGIN_DIR) / "mdp_synthetic.so";

// A plugin directory (0755) holding a copy of the synthetic plugin (0644).
struct PluginDir {
    mdp::test::TempDir root{"mdp-plugin-security"};
    fs::path directory = root.path() / "plugins";
    fs::path plugin = directory / "mdp_synthetic.so";
    PluginDir() {
        fs::create_directories(directory);
        fs::copy_file(kSyntheticPlugin, plugin);
        fs::permissions(directory, fs::perms(0755));
        fs::permissions(plugin, fs::perms(0644));
    }
};

std::string load_error(PluginCatalog& catalog, const std::string& reference, const std::string& sha256 = {}) {
    try {
        catalog.resolve(reference, sha256);
    } catch (const PluginLoadError& error) {
        return error.what();
    }
    return "loaded";
}

// The file's SHA-256 from coreutils' sha256sum: an independent digest, so a wrong one in
// the code under test cannot agree with itself.
std::string sha256_of(const fs::path& file) {
    const auto result = mdp::test::run_to_completion("sha256sum", {"--", file.string()});
    REQUIRE(result.exit_code == 0);
    REQUIRE(result.output.size() >= 64);
    return result.output.substr(0, 64);
}

}  // namespace

TEST_CASE("a plugin with safe permissions loads, and its SHA-256 is recorded", "[plugins][security]") {
    PluginDir dir;
    PluginCatalog catalog({dir.directory});
    const auto library = catalog.resolve("synthetic");
    CHECK(library->info().id == "synthetic");
    CHECK(library->info().sha256 == sha256_of(dir.plugin));
    CHECK(library->info().sha256.size() == 64);
}

TEST_CASE("a group- or world-writable plugin file is refused, naming path and mode", "[plugins][security]") {
    PluginDir dir;
    fs::permissions(dir.plugin, fs::perms(0664));
    PluginCatalog catalog({dir.directory});
    const auto message = load_error(catalog, "mdp_synthetic.so");
    CHECK_THAT(message, Catch::Contains(dir.plugin.string()) &&
                            Catch::Contains("the plugin file is writable by group") && Catch::Contains("mode 0664"));
}

TEST_CASE("a world-writable plugin directory is refused", "[plugins][security]") {
    PluginDir dir;
    fs::permissions(dir.directory, fs::perms(0777));
    PluginCatalog catalog({dir.directory});
    CHECK_THAT(load_error(catalog, "mdp_synthetic.so"), Catch::Contains("its directory is writable by others"));
}

TEST_CASE("the development override loads despite loose permissions", "[plugins][security]") {
    PluginDir dir;
    fs::permissions(dir.plugin, fs::perms(0666));
    PluginCatalog catalog({dir.directory}, true);
    CHECK(load_error(catalog, "mdp_synthetic.so") == "loaded");
}

TEST_CASE("a symlink that leaves the plugin directories is refused", "[plugins][security]") {
    PluginDir dir;
    const fs::path outside = dir.root.path() / "elsewhere";
    fs::create_directories(outside);
    fs::permissions(outside, fs::perms(0755));
    fs::rename(dir.plugin, outside / "mdp_synthetic.so");
    fs::create_symlink(outside / "mdp_synthetic.so", dir.plugin);
    PluginCatalog catalog({dir.directory});
    CHECK_THAT(load_error(catalog, "mdp_synthetic.so"), Catch::Contains("outside every plugin directory") &&
                                                            Catch::Contains((outside / "mdp_synthetic.so").string()));
}

TEST_CASE("a symlink within the plugin directory is fine", "[plugins][security]") {
    PluginDir dir;
    fs::create_symlink(dir.plugin, dir.directory / "mdp_alias.so");
    PluginCatalog catalog({dir.directory});
    CHECK(load_error(catalog, "mdp_alias.so") == "loaded");
}

TEST_CASE("a plugin owned by another user is refused", "[plugins][security]") {
    if (::geteuid() != 0) {
        MDP_SKIP_UNLESS_CI("not root: cannot chown a file to another user");
    }
    PluginDir dir;
    REQUIRE(::chown(dir.plugin.c_str(), 65534, 65534) == 0);  // nobody
    PluginCatalog catalog({dir.directory});
    CHECK_THAT(load_error(catalog, "mdp_synthetic.so"), Catch::Contains("owned by uid 65534"));
}

TEST_CASE("a SHA-256 pin must match the file", "[plugins][security]") {
    PluginDir dir;
    PluginCatalog catalog({dir.directory});
    const std::string wrong(64, '0');
    CHECK_THAT(load_error(catalog, "synthetic", wrong),
               Catch::Contains("refusing to load: its SHA-256 is " + sha256_of(dir.plugin)) &&
                   Catch::Contains("the config pins " + wrong));
    CHECK(load_error(catalog, "synthetic", sha256_of(dir.plugin)) == "loaded");
}
