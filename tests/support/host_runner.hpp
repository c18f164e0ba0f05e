#pragma once
// The real mdp-host as a child process for integration tests: a config written into a temp
// dir, the process started on it, waits for its output or for /health, its status document,
// a signal and the wait for its exit, and the `mdp-summary` line it leaves behind (rows in a
// SQLite sink: sqlite_reader.hpp).
// Area helpers build their configs and assertions on top of this.

#include "child_process.hpp"
#include "temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace mdp::test {

// The isolation the suite runs providers with: MDP_TEST_PROVIDER_ISOLATION (e.g. "process",
// set by the `isolated/` reruns, tests/CMakeLists.txt), nullopt when unset.
std::optional<std::string> provider_isolation_under_test();

// Writes `config` as <dir>/<file_name> and returns its path. With MDP_TEST_PROVIDER_ISOLATION
// set (e.g. "process"), every provider entry without an "isolation" of its own gets that one:
// how the suite runs the same integration tests with isolated providers (docs/isolation.md).
std::filesystem::path write_host_config(const TempDir& dir, const nlohmann::json& config,
                                        const std::string& file_name = "mdp.json");

class HostRunner {
   public:
    // Starts `mdp-host --config <config>`, its output captured in `output_file`, with
    // `environment` added to the inherited one (e.g. MDP_ADMIN_TOKEN). Does not wait.
    HostRunner(const std::filesystem::path& config, const std::filesystem::path& output_file,
               const std::map<std::string, std::string>& environment = {});
    // A host still running is killed (SIGKILL), so a failing test never leaks one.
    ~HostRunner();
    HostRunner(const HostRunner&) = delete;
    HostRunner& operator=(const HostRunner&) = delete;

    [[nodiscard]] pid_t pid() const { return process_.pid(); }
    [[nodiscard]] bool running() { return process_.running(); }
    [[nodiscard]] std::string output() const { return process_.output(); }

    // Waits until `ready(output())` holds, the host exits or `timeout` passes; returns
    // whether `ready` holds at the end.
    bool wait_until(const std::function<bool(const std::string&)>& ready, std::chrono::milliseconds timeout);

    // Waits until GET /health on 127.0.0.1:`port` answers 200; throws std::runtime_error
    // with the host's output when it does not within `timeout` (or the host exits).
    void wait_until_healthy(unsigned short port, std::chrono::milliseconds timeout = std::chrono::seconds(60));

    // Sends `signal_number` (when still running) and waits up to `patience` for the exit;
    // returns the exit code (128+signal when killed), nullopt on timeout.
    std::optional<int> stop(int signal_number, std::chrono::milliseconds patience);
    // The same, but a host still running after `patience` is killed and std::runtime_error
    // thrown (with its output): a hang is its own failure, never an exit code.
    int stop_and_wait(int signal_number, std::chrono::milliseconds patience);

    // The HTTP port the host bound (also when the config asked for port 0), read from its
    // documented "http: listening on ADDRESS:PORT" line in its output, or in `log_file` when
    // the config sets logging.file; throws std::runtime_error (with the output) when the line
    // does not appear within `timeout` or the host exits first.
    unsigned short wait_for_http_port(std::chrono::milliseconds timeout = std::chrono::seconds(60),
                                      const std::filesystem::path& log_file = {});

    // The mdp-summary object in the output so far (null when absent).
    [[nodiscard]] nlohmann::json summary() const;

   private:
    ChildProcess process_;
};

// GET /api/v1/status on 127.0.0.1:`port` (a fresh connection), parsed; throws
// std::runtime_error for another status and HttpClientError when nothing answers.
nlohmann::json status_document(unsigned short port);

// The same for polling a host that may not answer (starting, stalled, gone): nullopt instead
// of an exception when nothing answers, the answer is not 200, or it is not JSON.
std::optional<nlohmann::json> try_status_document(unsigned short port);

// The entry of provider `name` in a status document; throws std::runtime_error when absent.
const nlohmann::json& provider_in_status(const nlohmann::json& status, const std::string& name);

// The port of the first "http: listening on ADDRESS:PORT" line in `output` (text or JSON
// log format); nullopt when there is none yet.
std::optional<unsigned short> find_http_port(const std::string& output);

// The JSON object after "mdp-summary " in `output` (null when there is none or it does not
// parse).
nlohmann::json find_summary(const std::string& output);

}  // namespace mdp::test
