#include "plugins/plugin_library.hpp"

#include <dlfcn.h>

#include <array>
#include <cstring>
#include <unistd.h>

namespace mdp::plugins {

namespace {

[[noreturn]] void refuse(const std::filesystem::path& file, const std::string& reason) {
    throw PluginLoadError(file.string() + ": " + reason);
}

bool has_elf_magic(int fd) {
    std::array<char, 4> magic{};
    return ::pread(fd, magic.data(), magic.size(), 0) == 4 && magic == std::array<char, 4>{'\x7f', 'E', 'L', 'F'};
}

// Boost.DLL clears dlerror(); ask the loader once more, only to explain the failure.
std::string loader_diagnosis(const std::string& loader_path) {
    void* handle = ::dlopen(loader_path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle != nullptr) {
        ::dlclose(handle);
        return "the dynamic loader refused it";
    }
    // Plugins are loaded on the control thread only, and glibc keeps dlerror() per thread.
    const char* message = ::dlerror();  // NOLINT(concurrency-mt-unsafe)
    return message != nullptr ? message : "the dynamic loader refused it";
}

std::string copy_text(const char* text) { return text != nullptr ? std::string(text) : std::string(); }

bool valid_plugin_id(const std::string& id) {
    if (id.empty() || id.size() > 64) {
        return false;
    }
    for (const char character : id) {
        const bool allowed = (character >= 'a' && character <= 'z') || (character >= '0' && character <= '9') ||
                             character == '-' || character == '_' || character == '.';
        if (!allowed) {
            return false;
        }
    }
    return true;
}

// The descriptor, read up to the size the plugin declared (1.0 plugins lack `url`).
PluginInfo read_descriptor(const std::filesystem::path& file, const mdp_plugin_descriptor_t* descriptor) {
    if (descriptor == nullptr) {
        refuse(file, "malformed plugin entry: descriptor is NULL");
    }
    if (descriptor->size < MDP_PLUGIN_DESCRIPTOR_SIZE_1_0) {
        refuse(file, "malformed plugin entry: descriptor size " + std::to_string(descriptor->size) +
                         " is smaller than ABI 1.0's " + std::to_string(MDP_PLUGIN_DESCRIPTOR_SIZE_1_0));
    }
    mdp_plugin_descriptor_t copy{};
    std::memcpy(&copy, descriptor, std::min<std::size_t>(descriptor->size, sizeof(copy)));
    PluginInfo info;
    info.file = file.string();
    info.id = copy_text(copy.id);
    info.name = copy_text(copy.name);
    info.version = copy_text(copy.version);
    info.vendor = copy_text(copy.vendor);
    info.description = copy_text(copy.description);
    info.url = copy_text(copy.url);
    if (!valid_plugin_id(info.id)) {
        refuse(file, "malformed plugin entry: plugin id \"" + info.id +
                         "\" must be 1-64 characters of a-z, 0-9, '-', '_' or '.'");
    }
    return info;
}

const mdp_provider_factory_t* find_provider_factory(const std::filesystem::path& file,
                                                    const mdp_plugin_entry_t& entry) {
    if (entry.get_factory == nullptr) {
        refuse(file, "malformed plugin entry: get_factory is NULL");
    }
    const auto* factory = static_cast<const mdp_provider_factory_t*>(entry.get_factory(MDP_PROVIDER_FACTORY_ID));
    if (factory == nullptr) {
        refuse(file, std::string("the plugin offers no \"") + MDP_PROVIDER_FACTORY_ID + "\" factory");
    }
    if (factory->size < sizeof(mdp_provider_factory_t) || factory->create == nullptr) {
        refuse(file, "malformed provider factory (size " + std::to_string(factory->size) + ", create " +
                         (factory->create == nullptr ? "NULL" : "set") + ")");
    }
    return factory;
}

// The optional in-place reconfigure extension; null when absent or malformed (the host then
// reconfigures by stop and start, as for any plugin without it).
const mdp_provider_reconfigure_t* find_reconfigure_extension(const mdp_plugin_entry_t& entry) {
    const auto* extension =
        static_cast<const mdp_provider_reconfigure_t*>(entry.get_factory(MDP_PROVIDER_RECONFIGURE_ID));
    if (extension == nullptr || extension->size < sizeof(mdp_provider_reconfigure_t) ||
        extension->reconfigure == nullptr) {
        return nullptr;
    }
    return extension;
}

}  // namespace

std::string to_string(const mdp_abi_version_t& version) {
    return std::to_string(version.major) + "." + std::to_string(version.minor) + "." + std::to_string(version.patch);
}

mdp_abi_version_t host_abi_version() { return MDP_ABI_VERSION_INIT; }

std::string PluginInfo::abi_version_text() const { return to_string(abi_version); }

PluginLibrary::PluginLibrary(std::unique_ptr<VerifiedPluginFile> file, boost::dll::shared_library library,
                             PluginInfo info, PluginFilePolicy policy, void (*deinit)(),
                             const mdp_provider_factory_t* factory, const mdp_provider_reconfigure_t* reconfigure)
    : file_(std::move(file)), library_(std::move(library)), info_(std::move(info)), policy_(std::move(policy)),
      deinit_(deinit), factory_(factory), reconfigure_(reconfigure) {}

std::shared_ptr<PluginLibrary> PluginLibrary::described(PluginInfo info, PluginFilePolicy policy, bool reconfigurable) {
    auto library = std::shared_ptr<PluginLibrary>(new PluginLibrary(
        nullptr, boost::dll::shared_library(), std::move(info), std::move(policy), nullptr, nullptr, nullptr));
    library->described_reconfigurable_ = reconfigurable;
    return library;
}

PluginLibrary::~PluginLibrary() {
    if (deinit_ != nullptr) {
        deinit_();
    }
}

std::shared_ptr<PluginLibrary> PluginLibrary::load(const std::filesystem::path& file, const PluginFilePolicy& policy,
                                                   mdp_abi_version_t host_version) {
    auto verified = verify_plugin_file(file, policy);
    if (!has_elf_magic(verified->fd())) {
        refuse(file, "not a shared object (no ELF header)");
    }
    // Load exactly the bytes that were checked and hashed: the open descriptor, not the path.
    boost::dll::fs::error_code load_error;
    const std::string loader_path = verified->loader_path();
    boost::dll::shared_library library(loader_path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local,
                                       load_error);
    if (load_error) {
        refuse(file, "cannot load: " + loader_diagnosis(loader_path));
    }
    if (!library.has(MDP_PLUGIN_ENTRY_SYMBOL)) {
        refuse(file, std::string("no entry symbol \"") + MDP_PLUGIN_ENTRY_SYMBOL + "\" (not an mdp plugin?)");
    }
    const auto& exported = library.get<const mdp_plugin_entry_t>(MDP_PLUGIN_ENTRY_SYMBOL);
    if (exported.size < sizeof(mdp_plugin_entry_t)) {
        refuse(file, "malformed plugin entry: size " + std::to_string(exported.size) + ", expected at least " +
                         std::to_string(sizeof(mdp_plugin_entry_t)));
    }
    const mdp_plugin_entry_t entry = exported;  // fields beyond ours (newer ABI) are never read
    if (!mdp_abi_is_compatible(host_version, entry.abi_version)) {
        refuse(file, "incompatible plugin ABI " + to_string(entry.abi_version) + "; this host implements ABI " +
                         to_string(host_version) + " and loads plugins of ABI " + std::to_string(host_version.major) +
                         ".0 to " + std::to_string(host_version.major) + "." + std::to_string(host_version.minor));
    }
    PluginInfo info = read_descriptor(file, entry.descriptor);
    info.abi_version = entry.abi_version;
    info.sha256 = verified->sha256_hex();
    if (entry.init != nullptr && entry.init(file.c_str()) != MDP_OK) {
        refuse(file, "the plugin's init() failed");
    }
    try {
        const mdp_provider_factory_t* factory = find_provider_factory(file, entry);
        return std::shared_ptr<PluginLibrary>(new PluginLibrary(std::move(verified), std::move(library),
                                                                std::move(info), policy, entry.deinit, factory,
                                                                find_reconfigure_extension(entry)));
    } catch (...) {
        if (entry.deinit != nullptr) {
            entry.deinit();
        }
        throw;
    }
}

}  // namespace mdp::plugins
