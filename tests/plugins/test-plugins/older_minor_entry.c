/*
 * The C test provider packaged as a plugin built against an OLDER MINOR of the ABI (1.0)
 * than the host's (1.1): the host must load and run it, reading each struct only up to the
 * size this plugin declares.
 *
 * How the older build is simulated: ABI 1.1 appended `url` to mdp_plugin_descriptor_t.
 * A plugin compiled against the 1.0 header declares abi_version 1.0 and a descriptor of
 * the 1.0 layout, whose `size` is offsetof(url) — so that is what this file declares, using
 * its own copy of the 1.0 descriptor struct. Right after that 1.0 descriptor in memory sits
 * a trap string where 1.1's `url` would be: a host that reads past `size` would show it
 * (tests check that --list-plugins never prints it). Every other struct this plugin passes
 * (mdp_event_t, mdp_provider_t, mdp_publish_result_t) has the same layout in 1.0 and 1.1.
 */
#include "c_provider.h"

#include <stddef.h>

/* mdp_plugin_descriptor_t exactly as the ABI 1.0 header declared it. */
typedef struct descriptor_abi_1_0 {
    uint32_t size;
    const char* id;
    const char* name;
    const char* version;
    const char* vendor;
    const char* description;
} descriptor_abi_1_0_t;

_Static_assert(sizeof(descriptor_abi_1_0_t) == MDP_PLUGIN_DESCRIPTOR_SIZE_1_0,
               "the 1.0 descriptor is the 1.1 descriptor without its tail");

static const struct {
    descriptor_abi_1_0_t descriptor;
    const char* beyond_declared_size; /* where 1.1's `url` lives; must never be read */
} descriptor_with_trap = {{(uint32_t)sizeof(descriptor_abi_1_0_t), "older_minor", "Older-minor C provider", "0.1.0",
                           "mdp tests", "Built against ABI 1.0"},
                          "TRAP-url-read-beyond-descriptor-size"};

MDP_EXPORT_PLUGIN_ENTRY const mdp_plugin_entry_t mdp_plugin_entry = {
    (uint32_t)sizeof(mdp_plugin_entry_t),
    {1, 0, 0},
    /* The host reads only `size` bytes (the 1.0 layout) through this pointer. */
    (const mdp_plugin_descriptor_t*)(const void*)&descriptor_with_trap.descriptor,
    NULL,
    NULL,
    c_provider_get_factory};
