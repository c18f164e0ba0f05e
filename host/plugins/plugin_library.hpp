#pragma once
// One loaded plugin shared object: loaded with Boost.DLL, its entry symbol validated against
// this host's ABI, kept loaded while any provider instance of it lives (shared_ptr).

#include "plugins/plugin_file_check.hpp"

#include <mdp/plugin_api.h>

#include <boost/dll/shared_library.hpp>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

namespace mdp::plugins {

// Why a plugin file cannot be used. The message names the file and the reason.
class PluginLoadError : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
};

// What a plugin says about itself, copied out of the library (owned strings).
struct PluginInfo {
    std::string file;  // absolute path
    std::string id;
    std::string name;
    std::string version;
    std::string vendor;
    std::string description;
    std::string url;
    std::string sha256;  // of the file as loaded, lowercase hex
    mdp_abi_version_t abi_version{};
    [[nodiscard]] std::string abi_version_text() const;
};

std::string to_string(const mdp_abi_version_t& version);
// This host's ABI version.
mdp_abi_version_t host_abi_version();

class PluginLibrary {
   public:
    // [control-thread] Loads `file`, validates the entry, calls the plugin's init().
    // Throws PluginLoadError("<file>: <reason>") for: missing file, not a shared object,
    // unresolved symbols, no entry symbol, malformed entry, incompatible ABI, init failure,
    // no provider factory.
    // The file is first checked against `policy` (plugin_file_check.hpp).
    // `host_version` is the ABI this host implements (tests pass an older one to prove that
    // plugins stay loadable by older hosts).
    static std::shared_ptr<PluginLibrary> load(const std::filesystem::path& file, const PluginFilePolicy& policy,
                                               mdp_abi_version_t host_version = host_abi_version());

    // [control-thread] A plugin known by what another process read from it (an isolated
    // provider's runner, plugins/plugin_description.hpp), never loaded into this one: info,
    // policy and whether it has the reconfigure extension; no factory, no extension tables.
    static std::shared_ptr<PluginLibrary> described(PluginInfo info, PluginFilePolicy policy, bool reconfigurable);
    ~PluginLibrary();  // calls deinit(), then unloads (nothing for a described one)
    PluginLibrary(const PluginLibrary&) = delete;
    PluginLibrary& operator=(const PluginLibrary&) = delete;

    [[nodiscard]] const PluginInfo& info() const { return info_; }
    // Whether the plugin's code is loaded in this process (false: described()).
    [[nodiscard]] bool loaded_here() const { return factory_ != nullptr; }
    // Valid while this object lives; null for a described plugin.
    [[nodiscard]] const mdp_provider_factory_t* provider_factory() const { return factory_; }
    // The in-place reconfigure extension, or null when the plugin has none. Valid while this
    // object lives.
    [[nodiscard]] const mdp_provider_reconfigure_t* reconfigure_extension() const { return reconfigure_; }
    // Whether the plugin has the reconfigure extension (also for a described plugin).
    [[nodiscard]] bool reconfigurable() const { return reconfigure_ != nullptr || described_reconfigurable_; }
    // The policy the file was checked against; an isolated provider's runner checks it again.
    [[nodiscard]] const PluginFilePolicy& policy() const { return policy_; }

   private:
    PluginLibrary(std::unique_ptr<VerifiedPluginFile> file, boost::dll::shared_library library, PluginInfo info,
                  PluginFilePolicy policy, void (*deinit)(), const mdp_provider_factory_t* factory,
                  const mdp_provider_reconfigure_t* reconfigure);

    std::unique_ptr<VerifiedPluginFile> file_;  // its descriptor stays open (see loader_path)
    boost::dll::shared_library library_;
    PluginInfo info_;
    PluginFilePolicy policy_;
    void (*deinit_)() = nullptr;
    const mdp_provider_factory_t* factory_ = nullptr;
    const mdp_provider_reconfigure_t* reconfigure_ = nullptr;
    bool described_reconfigurable_ = false;
};

}  // namespace mdp::plugins
