#pragma once
// The one-shot commands of mdp-host; each returns the process exit code and prints to
// stdout (results) or stderr (errors).

#include "app/cli_options.hpp"

namespace mdp::app {

int run_host(const CliOptions& options);
int check_config(const CliOptions& options);
int list_plugins(const CliOptions& options);
int print_version();

}  // namespace mdp::app
