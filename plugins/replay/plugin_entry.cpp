// The replay plugin's exported entry (mdp_plugin_entry), defined by the SDK macro.
#include "replay_provider.hpp"

#include <mdp/plugin.hpp>

MDP_PLUGIN(mdp::replay::ReplayProvider, "replay", "Replay of recorded market data", "1.0.0", "mdp",
           "Publishes a CSV or JSONL capture at its recorded pace x a speed factor, optionally in a loop")
