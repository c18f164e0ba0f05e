#include "app/cli_options.hpp"

#include <stdexcept>

namespace mdp::app {

std::string usage_text() {
    return R"(Usage: mdp-host [--config FILE] [COMMAND]

Runs the mdp market data pipeline host until SIGINT/SIGTERM (then stops the providers,
drains the store queue into the sinks and exits 0).

Options:
  --config FILE        JSON config file (default: $MDP_CONFIG)
  --check-config       validate the config (and each provider's plugin config) and exit:
                       0 valid, 2 invalid
  --check-sinks        with --check-config: also open each sink (connect, create tables)
  --list-plugins       list the plugins in the plugin path with file, id, version, ABI
                       version and whether this host can load them
  --plugin-path DIR    plugin directory for --list-plugins (repeatable; default: the
                       config's plugin_path)
  --version            print the host and plugin ABI versions
  --help               this text

Environment: MDP_* variables override config keys; see docs/configuration.md.
)";
}

CliOptions parse_cli(const std::vector<std::string>& arguments, const char* config_from_environment) {
    CliOptions options;
    if (config_from_environment != nullptr) {
        options.config_file = config_from_environment;
    }
    const auto value_after = [&](std::size_t& index) -> std::string {
        if (index + 1 >= arguments.size() || arguments[index + 1].starts_with("--")) {
            throw std::invalid_argument(arguments[index] + " needs a value");
        }
        return arguments[++index];
    };
    for (std::size_t index = 0; index < arguments.size(); ++index) {
        const std::string& argument = arguments[index];
        if (argument == "--config") {
            options.config_file = value_after(index);
        } else if (argument.starts_with("--config=")) {
            options.config_file = argument.substr(9);
        } else if (argument == "--plugin-path") {
            options.plugin_paths.push_back(value_after(index));
        } else if (argument == "--check-config") {
            options.command = Command::check_config;
        } else if (argument == "--check-sinks") {
            options.check_sinks = true;
        } else if (argument == "--list-plugins") {
            options.command = Command::list_plugins;
        } else if (argument == "--version") {
            options.command = Command::version;
        } else if (argument == "--help" || argument == "-h") {
            options.command = Command::help;
        } else {
            throw std::invalid_argument("unknown argument \"" + argument + "\" (see --help)");
        }
    }
    const bool needs_config = options.command == Command::run || options.command == Command::check_config ||
                              (options.command == Command::list_plugins && options.plugin_paths.empty());
    if (needs_config && options.config_file.empty()) {
        throw std::invalid_argument("no config file: pass --config FILE or set MDP_CONFIG");
    }
    return options;
}

}  // namespace mdp::app
