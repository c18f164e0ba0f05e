#pragma once
// Running the real mdp-host against plugins (over host_runner.hpp): a config with the test
// plugin directory, a run that is interrupted (SIGINT) once the output shows what the test
// waits for, and readers of the output and the summary.

#include "host_runner.hpp"
#include "temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mdp::test {

// A config with both plugin directories (bundled and test plugins), HTTP off, text logs and
// one SQLite sink named "main" at <dir>/mdp.sqlite; no providers yet.
nlohmann::json base_host_config(const TempDir& dir);

// One providers[] entry.
nlohmann::json provider_entry(const std::string& name, const std::string& plugin,
                              const nlohmann::json& config = nlohmann::json::object(), bool required = false);

struct HostRun {
    bool became_ready = false;  // `ready` was satisfied before the deadline
    int exit_code = 0;  // a host that does not exit in time after SIGINT throws instead
    std::string output;  // everything it printed
    nlohmann::json summary;  // the mdp-summary object, null when absent
};

// Runs `mdp-host --config <config>` until `ready(output)` holds (or `timeout` passes), then
// sends SIGINT and waits for the exit; throws (with the output) when the host has not
// exited 60 s after SIGINT.
HostRun run_host_until(const std::filesystem::path& config, const std::function<bool(const std::string&)>& ready,
                       std::chrono::milliseconds timeout = std::chrono::seconds(60));

// Shorthand: ready once the output contains `text`.
HostRun run_host_until_output(const std::filesystem::path& config, const std::string& text,
                              std::chrono::milliseconds timeout = std::chrono::seconds(60));

// The lines of `output` that contain every one of `fragments`.
std::vector<std::string> lines_containing(const std::string& output, const std::vector<std::string>& fragments);

// `mdp-host --list-plugins` output split per plugin file: file name (without directory) ->
// its block (the path line and the indented "key: value" lines under it).
std::map<std::string, std::string> plugin_listing(const std::string& output);

// A published count from the summary: providers.<name>.by_type.<type> (or .published when
// `type` is empty); -1 when absent.
std::int64_t summary_count(const nlohmann::json& summary, const std::string& provider, const std::string& type = "");

}  // namespace mdp::test
