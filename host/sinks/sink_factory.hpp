#pragma once
// Creates sinks from their config objects (`store.sinks[i]`), validating every key of the
// sink's type: an unknown key or a bad value throws ConfigError naming file and JSON path
// (e.g. `config.json: store.sinks[1].busy_timeout_ms: expected an integer from 0 to ...`).
// Creating a sink opens nothing; Sink::open() does that on the coordinator thread.

#include "config/host_config.hpp"
#include "sinks/sink.hpp"

#include <memory>
#include <string>
#include <vector>

namespace mdp::sinks {

[[nodiscard]] std::unique_ptr<Sink> create_sink(const config::SinkConfig& config);

// The sink types create_sink() knows, for messages and --help.
[[nodiscard]] std::vector<std::string> sink_types();

}  // namespace mdp::sinks
