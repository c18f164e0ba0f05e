#pragma once
// A plugin file's descriptor read in a process of its own: `mdp-provider-runner --describe`
// loads the file with the host's loader checks and prints what it says about itself as one
// JSON object. The host's plugin catalog reads every plugin file this way, so a plugin's
// load-time code (static constructors, its init()) runs in the host only when an in-process
// provider uses it; a plugin that crashes or hangs while loading is a load error naming the
// file, never a dead host, and an isolated provider's code never runs in the host at all.
//
// The JSON object (one line on the runner's stdout, exit 0):
//   {"file", "id", "name", "version", "vendor", "description", "url", "sha256",
//    "abi": [major, minor, patch], "reconfigurable": bool}
// or, when the loader refused the file (exit 1): {"error": "<file>: <reason>"}.

#include "plugins/plugin_library.hpp"

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace mdp::plugins {

// How long a plugin file may take to load before it counts as hanging.
inline constexpr std::chrono::seconds kDescribeTimeout{10};

// The runner's loader arguments for `policy`: --plugin-dir DIR... [--allow-insecure-permissions].
std::vector<std::string> loader_arguments(const PluginFilePolicy& policy);

// [runner] The JSON line for a loaded `library`, and for a loader refusal.
std::string description_json(const PluginLibrary& library);
std::string refusal_json(const std::string& error);

// [control-thread] `file` described by `runner` (an mdp-provider-runner executable) under
// `policy`: a PluginLibrary::described() library. Throws PluginLoadError naming the
// file for a refusal, a crash ("crashed while loading in a separate process: killed by signal
// SIGSEGV (...)"), a load that takes longer than kDescribeTimeout, or an exit without a
// readable answer ("failed while loading in a separate process: exited with code N ...").
std::shared_ptr<PluginLibrary> describe_plugin(const std::filesystem::path& runner, const std::filesystem::path& file,
                                               const PluginFilePolicy& policy);

}  // namespace mdp::plugins
