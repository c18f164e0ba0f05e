#pragma once
// The sink types this host has, in one table (sink_registry.cpp), and creating a sink from its
// config object (`store.sinks[i]`), validating every key of the sink's type: an unknown key or
// a bad value throws ConfigError naming file and JSON path (e.g.
// `config.json: store.sinks[1].busy_timeout_ms: expected an integer from 0 to ...`).
// Creating a sink opens nothing; Sink::open() does that on the coordinator thread.

#include "config/host_config.hpp"
#include "sinks/sink.hpp"
#include "sinks/sink_type.hpp"

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace mdp::sinks {

// Every sink type, in the order messages and --help list them.
[[nodiscard]] std::span<const SinkType> registered_sink_types();

[[nodiscard]] std::unique_ptr<Sink> create_sink(const config::SinkConfig& config);

// The names of the registered sink types, for messages and --help.
[[nodiscard]] std::vector<std::string> sink_types();

}  // namespace mdp::sinks
