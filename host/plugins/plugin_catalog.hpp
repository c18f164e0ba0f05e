#pragma once
// The plugins found in the configured plugin directories, and resolution of a provider's
// "plugin" reference (an id, or a file name inside one of the directories).
//
// Plugin files are read in a process of their own (plugins/plugin_description.hpp): the
// catalog knows each file's id, version and checks without running its load-time code in the
// host. Only resolve() for an in-process provider loads the file into the host. Without the
// runner executable (mdp-provider-runner, installed next to mdp-host) files are loaded in the
// host to be read, as before it existed; a warning says so.

#include "plugins/plugin_library.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mdp::plugins {

struct CatalogEntry {
    std::filesystem::path file;
    std::shared_ptr<PluginLibrary> library;  // described (or loaded); null when it failed to load
    std::string error;  // why it failed ("" when loaded)
};

class PluginCatalog {
   public:
    // `allow_insecure_permissions`: see PluginFilePolicy (development only).
    explicit PluginCatalog(std::vector<std::filesystem::path> directories, bool allow_insecure_permissions = false);

    // [control-thread] Reads every `*.so` in the directories (each directory sorted by name).
    // Files that fail (refused, crashed or hung while loading) are kept with their error;
    // missing directories are reported as errors.
    const std::vector<CatalogEntry>& scan();

    // [control-thread] The library a provider's "plugin" value names. A value containing '/'
    // or ending in ".so" is a file inside a plugin directory (never outside one); anything
    // else is a plugin id, searched in directory order. Throws PluginLoadError naming the
    // file and reason, or what was searched when nothing matches.
    // `sha256` (lowercase hex, may be empty): the file's hash must equal it.
    // `load_here`: an in-process provider's library, loaded into the host; otherwise (an
    // isolated provider) the description, whose code never runs in the host.
    std::shared_ptr<PluginLibrary> resolve(const std::string& reference, const std::string& sha256 = {},
                                           bool load_here = true);

    // [control-thread] Forgets what it loaded from files that changed on disk since (their
    // SHA-256 differs) or are gone, and rescans on the next resolve(): a replaced plugin
    // file then loads as a new library (under its own /proc/self/fd name, so the dynamic
    // loader's cache by path never returns the old code). Libraries still in use stay
    // loaded by their holders. Returns the files that changed.
    std::vector<std::string> forget_changed_files();

    [[nodiscard]] const std::vector<std::filesystem::path>& directories() const { return directories_; }
    [[nodiscard]] const std::vector<std::string>& directory_errors() const { return directory_errors_; }

   private:
    std::shared_ptr<PluginLibrary> load_cached(const std::filesystem::path& file);
    // The file read by the runner (or loaded, without a runner); cached by path.
    std::shared_ptr<PluginLibrary> describe_cached(const std::filesystem::path& file);
    std::shared_ptr<PluginLibrary> resolve_file(const std::string& reference);
    std::shared_ptr<PluginLibrary> resolve_id(const std::string& id);

    std::vector<std::filesystem::path> directories_;
    PluginFilePolicy policy_;
    std::vector<CatalogEntry> entries_;
    std::vector<std::string> directory_errors_;
    std::map<std::filesystem::path, std::shared_ptr<PluginLibrary>> loaded_;
    std::map<std::filesystem::path, std::shared_ptr<PluginLibrary>> described_;
    std::filesystem::path runner_;  // mdp-provider-runner; empty when there is none
    bool scanned_ = false;
};

}  // namespace mdp::plugins
