// Test plugin: the synthetic provider under a newer version string, standing in for an
// upgraded build of the plugin file (the reload test installs it over the original).
#include "synthetic_provider.hpp"

#include <mdp/plugin.hpp>

MDP_PLUGIN(mdp::synthetic::SyntheticProvider, "synthetic", "Synthetic market data", "1.0.1-reload-test", "mdp",
           "The synthetic provider, rebuilt for the reload test")
