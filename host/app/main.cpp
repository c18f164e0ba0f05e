// mdp-host entry point: parse the command line, run the chosen command.

#include "app/cli_options.hpp"
#include "app/commands.hpp"

#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    using namespace mdp::app;
    CliOptions options;
    try {
        // Read before any thread starts, so nothing can change the environment meanwhile.
        // NOLINTNEXTLINE(concurrency-mt-unsafe)
        options = parse_cli(std::vector<std::string>(argv + 1, argv + argc), std::getenv("MDP_CONFIG"));
    } catch (const std::invalid_argument& error) {
        std::cerr << "mdp-host: " << error.what() << '\n';
        return 2;
    }
    switch (options.command) {
        case Command::help:
            std::cout << usage_text();
            return 0;
        case Command::version:
            return print_version();
        case Command::check_config:
            return check_config(options);
        case Command::list_plugins:
            return list_plugins(options);
        case Command::run:
            return run_host(options);
    }
    return 2;
}
