#pragma once
// Processes for the host integration tests: mdp-fake-tws and mdp-host (with the ibkr plugin
// and a SQLite sink) in a temp dir on loopback ports. What they store is read with
// sqlite_reader.hpp.

#include "child_process.hpp"
#include "host_runner.hpp"
#include "temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mdp::ibkr::test {

// mdp-fake-tws on a loopback port; restartable on the same port. With `port` 0 the first
// start lets the gateway pick a free port and reads it back from its "listening on" line.
class FakeTwsProcess {
   public:
    FakeTwsProcess(const mdp::test::TempDir& dir, std::vector<std::string> arguments, unsigned short port = 0);
    void start();
    void kill();  // SIGKILL: a crash, not a clean shutdown
    void stop();  // SIGINT and wait
    [[nodiscard]] unsigned short port() const { return port_; }
    [[nodiscard]] std::string output() const;
    [[nodiscard]] std::size_t count(const std::string& text) const;
    bool wait_for(const std::string& text, std::chrono::milliseconds timeout);
    // Replaces the arguments for the next start().
    void set_arguments(std::vector<std::string> arguments) { arguments_ = std::move(arguments); }

   private:
    const mdp::test::TempDir& dir_;
    std::vector<std::string> arguments_;
    unsigned short port_;
    int generation_ = 0;
    std::vector<std::filesystem::path> outputs_;
    std::unique_ptr<mdp::test::ChildProcess> process_;
};

// mdp-host (host_runner.hpp) with one ibkr provider named "ibkr" and a SQLite sink, HTTP
// on a loopback port the host picks (port 0, read back from its log).
class HostProcess {
   public:
    // `provider` is the providers[0] object without name/plugin (e.g. {"config": ..., "rate_scale": ...});
    // `store` overrides keys of the store section. Returns once /health answers (throws with
    // the host's output otherwise).
    HostProcess(const mdp::test::TempDir& dir, const nlohmann::json& provider, const nlohmann::json& store = {});
    // A host still running gets SIGINT and up to 30 s to drain.
    ~HostProcess();
    HostProcess(const HostProcess&) = delete;
    HostProcess& operator=(const HostProcess&) = delete;

    [[nodiscard]] pid_t pid() const { return host_->pid(); }
    [[nodiscard]] std::string output() const { return host_->output(); }
    [[nodiscard]] const std::filesystem::path& database() const { return database_; }
    [[nodiscard]] unsigned short http_port() const { return http_port_; }

    // GET /api/v1/status (nullopt while the server does not answer).
    [[nodiscard]] std::optional<nlohmann::json> status() const;
    // providers[0] of the status ({} when unavailable).
    [[nodiscard]] nlohmann::json provider_status() const;
    [[nodiscard]] bool provider_state_is(const std::string& state) const;
    // Resident memory of the host process in KiB (from /proc).
    [[nodiscard]] std::size_t resident_kib() const;

    // Rewrites the config file with `provider` in place of providers[0] (as given to the
    // constructor), sends SIGHUP and waits until /api/v1/status counts one more reload
    // (applied or refused); returns its `config` object (generation, how the reload ended).
    // Throws with the host's output when no reload ends within 30 s.
    nlohmann::json reload(const nlohmann::json& provider);

    // SIGINT, wait for exit; returns the exit code and keeps the mdp-summary. Throws (with the
    // output) when the host has not exited within 60 s.
    int stop();
    [[nodiscard]] const nlohmann::json& summary() const { return summary_; }

   private:
    // The whole host config for `provider` (providers[0] without name/plugin).
    [[nodiscard]] nlohmann::json host_config(const nlohmann::json& provider) const;

    const mdp::test::TempDir& dir_;
    nlohmann::json store_;  // the store overrides given to the constructor
    std::filesystem::path database_;
    unsigned short http_port_ = 0;  // bound by the host (config port 0), read from its log
    std::unique_ptr<mdp::test::HostRunner> host_;
    nlohmann::json summary_;
};

}  // namespace mdp::ibkr::test
