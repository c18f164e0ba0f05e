/* A valid shared object that is not an mdp plugin: it lacks the mdp_plugin_entry symbol
 * (it exports something else, so the library itself loads fine). */
#include <mdp/plugin_api.h>

MDP_PLUGIN_VISIBILITY int mdp_not_the_entry(void);

MDP_PLUGIN_VISIBILITY int mdp_not_the_entry(void) { return 42; }
