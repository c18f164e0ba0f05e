// A C++ plugin built against a NEWER minor of the ABI than the host's: the host must refuse
// it ("incompatible plugin ABI 1.<minor+1>.0") and keep loading every other plugin correctly.
//
// It also has what most real C++ plugins have: a symbol the dynamic linker binds as
// STB_GNU_UNIQUE (here an inline variable of class type). glibc never unmaps a library with
// such a symbol, even after dlclose(), so a host that loads plugins by a reusable name (for
// example "/proc/self/fd/<n>") must not let a later plugin be mistaken for this one.
#include <mdp/plugin_api.h>

#include <string>

namespace {

const mdp_plugin_descriptor_t descriptor = {sizeof(mdp_plugin_descriptor_t),
                                            "newer_minor",
                                            "Newer-minor C++ plugin",
                                            "0.1.0",
                                            "mdp tests",
                                            "Declares an ABI minor newer than the host's",
                                            nullptr};

const void* get_factory(const char* /*factory_id*/) { return nullptr; }

}  // namespace

// Default visibility, as the standard library's own template statics have (which is why the
// bundled synthetic plugin has such symbols too).
MDP_PLUGIN_VISIBILITY inline std::string newer_minor_unique_state = "makes this library non-unloadable";

MDP_PLUGIN_VISIBILITY const std::string& newer_minor_state();
const std::string& newer_minor_state() { return newer_minor_unique_state; }

MDP_EXPORT_PLUGIN_ENTRY const mdp_plugin_entry_t mdp_plugin_entry = {
    sizeof(mdp_plugin_entry_t),
    {MDP_ABI_VERSION_MAJOR, MDP_ABI_VERSION_MINOR + 1, 0},
    &descriptor,
    nullptr,
    nullptr,
    &get_factory};
