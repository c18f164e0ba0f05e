#pragma once
// Reads the host's JSON config file, applies MDP_* overrides, validates every section and
// returns a HostConfig. Nothing is started here: a config either loads completely or throws
// ConfigError naming the file, the JSON path (or line and column) and what was expected.

#include "config/host_config.hpp"

#include <filesystem>
#include <map>
#include <string>

namespace mdp::config {

// `environment`: MDP_* variables (config::mdp_environment() in production).
HostConfig load_host_config(const std::filesystem::path& file, const std::map<std::string, std::string>& environment);

// Same, from JSON text; `file` is used for messages and to resolve relative paths.
// `key_listener` (optional) hears every key the loader and, later, the sinks' readers ask for.
HostConfig parse_host_config(const std::string& text, const std::filesystem::path& file,
                             const std::map<std::string, std::string>& environment,
                             const ConfigKeyListener& key_listener = {});

}  // namespace mdp::config
