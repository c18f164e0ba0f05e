/* The C test provider declaring ABI major 2: a host of major 1 must refuse to load it
 * (nothing else about it is wrong). */
#include "c_provider.h"

static const mdp_plugin_descriptor_t descriptor = {(uint32_t)sizeof(mdp_plugin_descriptor_t),
                                                   "wrong_major",
                                                   "Wrong ABI major",
                                                   "0.3.0",
                                                   "mdp tests",
                                                   "Declares ABI 2.0",
                                                   NULL};

MDP_EXPORT_PLUGIN_ENTRY const mdp_plugin_entry_t mdp_plugin_entry = {
    (uint32_t)sizeof(mdp_plugin_entry_t), {2, 0, 0}, &descriptor, NULL, NULL, c_provider_get_factory};
