#pragma once
// The real mdp-host as a child process for the hardening tests: synthetic providers into
// one SQLite sink in a temp dir, HTTP on a free loopback port, an optional admin token
// (MDP_ADMIN_TOKEN) and a connection cap.

#include "child_process.hpp"
#include "http_client.hpp"
#include "temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mdp::test {

struct HardenedHostOptions {
    std::vector<std::string> provider_names{"synthetic"};
    double rate_per_symbol = 500;     // events per second per symbol
    std::string admin_token;          // empty: no control API
    std::size_t max_connections = 64;
    std::int64_t read_timeout_ms = 2000;
};

class HardenedHost {
   public:
    // Starts the host and waits until /health answers (throws with the output otherwise).
    explicit HardenedHost(const HardenedHostOptions& options);
    ~HardenedHost();
    HardenedHost(const HardenedHost&) = delete;
    HardenedHost& operator=(const HardenedHost&) = delete;

    [[nodiscard]] unsigned short port() const { return port_; }
    [[nodiscard]] pid_t pid() const { return process_->pid(); }
    [[nodiscard]] bool running() { return process_->running(); }
    [[nodiscard]] std::string output() const { return process_->output(); }

    // GET /api/v1/status on a fresh connection, parsed.
    [[nodiscard]] nlohmann::json status() const;
    // The provider's entry in the status document.
    [[nodiscard]] nlohmann::json provider(const std::string& name) const;

    // SIGTERM and wait (drain included); the exit code, -1 on timeout.
    int stop();
    // The mdp-summary object logged on exit (null when absent).
    [[nodiscard]] nlohmann::json summary() const;

   private:
    TempDir directory_{"mdp-hardening"};
    unsigned short port_ = 0;
    std::unique_ptr<ChildProcess> process_;
};

// The process's resident memory (VmRSS) in bytes.
[[nodiscard]] std::uint64_t resident_bytes(pid_t pid);
// How many file descriptors the process has open.
[[nodiscard]] std::size_t open_descriptors(pid_t pid);

}  // namespace mdp::test
