/* The C test provider packaged for this header's ABI version. */
#include "c_provider.h"

static const mdp_plugin_descriptor_t descriptor = {(uint32_t)sizeof(mdp_plugin_descriptor_t),
                                                   "c_provider",
                                                   "C test provider",
                                                   "0.3.0",
                                                   "mdp tests",
                                                   "Publishes a few quotes and trades from a pthread; written in C11",
                                                   "https://example.invalid/c_provider"};

MDP_EXPORT_PLUGIN_ENTRY const mdp_plugin_entry_t mdp_plugin_entry = {
    (uint32_t)sizeof(mdp_plugin_entry_t), MDP_ABI_VERSION_INIT, &descriptor, NULL, NULL, c_provider_get_factory};
