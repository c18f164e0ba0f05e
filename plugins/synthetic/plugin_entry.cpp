// The synthetic plugin's exported entry (mdp_plugin_entry), defined by the SDK macro.
#include "synthetic_provider.hpp"

#include <mdp/plugin.hpp>

MDP_PLUGIN(mdp::synthetic::SyntheticProvider, "synthetic", "Synthetic market data", "1.0.0", "mdp",
           "Seeded random-walk quotes and trades with bars aggregated from its trades; "
           "also the load generator for benchmarks")
