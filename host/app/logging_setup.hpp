#pragma once
// Configures spdlog's default logger from the logging config: text or JSON lines, to
// stderr or a file.

#include "config/host_config.hpp"

namespace mdp::app {

// [control-thread, before other threads start] Throws std::runtime_error when the log file
// cannot be opened.
void configure_logging(const config::LoggingConfig& config);

}  // namespace mdp::app
