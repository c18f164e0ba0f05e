#pragma once
// File locations named in a sink's config: a relative path means "relative to the directory
// of the config file that named it", the same rule the host applies to plugin_path.

#include "config/host_config.hpp"

#include <filesystem>
#include <string>

namespace mdp::sinks {

// `path` resolved against the directory of `settings.origin->file`. Absolute paths and
// special names (`-` for stdout, `:memory:` for SQLite) come back unchanged; with no config
// file (settings built in code) a relative path stays relative to the working directory.
[[nodiscard]] std::filesystem::path resolve_sink_path(const config::RawSection& settings, const std::string& path);

// Creates the parent directories of `file` (nothing to do for a bare file name).
// Throws SinkError naming the directory when that fails.
void create_parent_directories(const std::filesystem::path& file);

}  // namespace mdp::sinks
