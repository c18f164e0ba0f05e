#pragma once
// Helpers for running the real mdp-host against plugins: config files in a temp dir, a run
// that is interrupted (SIGINT) once the output shows what the test waits for, the
// `mdp-summary` line, and row counts read back from the SQLite sink.

#include "child_process.hpp"
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

// Writes `config` as <dir>/<file_name> and returns its path.
std::filesystem::path write_host_config(const TempDir& dir, const nlohmann::json& config,
                                        const std::string& file_name = "mdp.json");

struct HostRun {
    bool became_ready = false;       // `ready` was satisfied before the deadline
    std::optional<int> exit_code;    // nullopt: did not exit in time after SIGINT (then killed)
    std::string output;              // everything it printed
    nlohmann::json summary;          // the mdp-summary object, null when absent
};

// Runs `mdp-host --config <config>` until `ready(output)` holds (or `timeout` passes), then
// sends SIGINT and waits for the exit.
HostRun run_host_until(const std::filesystem::path& config, const std::function<bool(const std::string&)>& ready,
                       std::chrono::milliseconds timeout = std::chrono::seconds(60));

// Shorthand: ready once the output contains `text`.
HostRun run_host_until_output(const std::filesystem::path& config, const std::string& text,
                              std::chrono::milliseconds timeout = std::chrono::seconds(60));

// The JSON object after "mdp-summary " in `output` (null when there is none).
nlohmann::json find_summary(const std::string& output);

// Number of rows in `table` of the SQLite database at `database` for `provider`
// (`provider` empty = all rows). Throws std::runtime_error when the query fails.
std::int64_t count_rows(const std::filesystem::path& database, const std::string& table,
                        const std::string& provider = "");

// Distinct symbols in `table` for `provider`, sorted.
std::vector<std::string> distinct_symbols(const std::filesystem::path& database, const std::string& table,
                                          const std::string& provider);

// The lines of `output` that contain every one of `fragments`.
std::vector<std::string> lines_containing(const std::string& output, const std::vector<std::string>& fragments);

// `mdp-host --list-plugins` output split per plugin file: file name (without directory) ->
// its block (the path line and the indented "key: value" lines under it).
std::map<std::string, std::string> plugin_listing(const std::string& output);

// A published count from the summary: providers.<name>.by_type.<type> (or .published when
// `type` is empty); -1 when absent.
std::int64_t summary_count(const nlohmann::json& summary, const std::string& provider, const std::string& type = "");

}  // namespace mdp::test
