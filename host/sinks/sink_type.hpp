#pragma once
// One type of sink as the registry (sink_registry.cpp) lists it. Each sink lives in a folder
// of its own (sinks/<type>/) and defines its entry there, next to the sink: adding a sink
// type is that folder and one line in the registry's table.

#include "config/host_config.hpp"
#include "config/json_node.hpp"
#include "sinks/sink.hpp"

#include <memory>
#include <string_view>

namespace mdp::sinks {

// [control-thread] Reads and validates the type's keys from `node` (the sink's config object;
// the registry has accepted "type" and "name" and checks for unknown keys afterwards), then
// builds the sink without opening anything. Throws ConfigError naming file and JSON path.
using SinkCreate = std::unique_ptr<Sink> (*)(const config::SinkConfig& config, config::JsonNode& node);

struct SinkType {
    std::string_view name;  // the config's "type" value
    std::string_view docs_anchor;  // the type's section of docs/sinks.md, e.g. "sinks.md#nats"
    SinkCreate create = nullptr;  // config reader and factory in one: the options type is the sink's own
};

}  // namespace mdp::sinks
