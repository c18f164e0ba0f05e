// The nats plugin's exported entry (mdp_plugin_entry), defined by the SDK macro.
#include "nats_provider.hpp"

#include <mdp/plugin.hpp>

MDP_PLUGIN(mdp::nats_provider::NatsProvider, "nats", "NATS JetStream consumer", "1.0.0", "mdp",
           "Stores event batches an ingest tier wrote into JetStream, shared by any number of store hosts")
