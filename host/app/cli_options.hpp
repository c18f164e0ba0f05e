#pragma once
// mdp-host's command line.

#include <optional>
#include <string>
#include <vector>

namespace mdp::app {

enum class Command { run, check_config, list_plugins, version, help };

struct CliOptions {
    Command command = Command::run;
    std::string config_file;  // --config, else $MDP_CONFIG
    std::vector<std::string> plugin_paths;  // --plugin-path (repeatable; list-plugins)
    bool check_sinks = false;  // --check-sinks: --check-config also connects to sinks
};

// Parses argv; throws std::invalid_argument with a message naming the bad argument.
CliOptions parse_cli(const std::vector<std::string>& arguments, const char* config_from_environment);

std::string usage_text();

}  // namespace mdp::app
