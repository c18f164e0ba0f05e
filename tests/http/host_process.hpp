#pragma once
// The real mdp-host (host_runner.hpp) configured for end-to-end HTTP tests: synthetic
// provider instances, one SQLite sink ("main") in a temp dir, HTTP on a free loopback port.
// And a second SQLite connection that stalls the sink for real by holding the write lock.

#include "host_runner.hpp"
#include "http_client.hpp"
#include "temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

struct sqlite3;

namespace mdp::test {

struct HostOptions {
    std::vector<std::string> provider_names{"synthetic"};  // each runs the synthetic plugin
    std::vector<std::string> symbols{"AAA", "BBB"};
    double rate_per_symbol = 500;        // quotes + trades per second per symbol, at scale 1.0
    std::size_t queue_capacity = 2000;   // watermarks at 50 % / 80 %
    std::size_t batch_size = 100;
};

class HostProcess {
   public:
    // Starts the host and waits until /health answers; throws (with the host's output) when
    // it does not within 60 s.
    explicit HostProcess(const HostOptions& options = {});
    ~HostProcess();
    HostProcess(const HostProcess&) = delete;
    HostProcess& operator=(const HostProcess&) = delete;

    [[nodiscard]] unsigned short port() const { return port_; }
    [[nodiscard]] std::filesystem::path database() const { return directory_ / "mdp.sqlite"; }
    [[nodiscard]] std::string output() const { return host_->output(); }

    // GET /api/v1/status, parsed.
    [[nodiscard]] nlohmann::json status();
    [[nodiscard]] HttpResponse get(const std::string& target);

    // SIGTERM, then waits for the exit (drain included); returns the exit code (-1: timeout).
    int stop();
    // The mdp-summary object the host logged on exit (null when absent).
    [[nodiscard]] nlohmann::json summary() const;

   private:
    TempDir directory_{"mdp-http-host"};
    unsigned short port_ = 0;
    std::unique_ptr<HostRunner> host_;
    std::unique_ptr<HttpClient> client_;
};

// Holds the write lock of a SQLite database (BEGIN EXCLUSIVE on its own connection), so
// every writer's BEGIN IMMEDIATE fails with SQLITE_BUSY until release().
class SqliteWriteLock {
   public:
    explicit SqliteWriteLock(const std::filesystem::path& database);
    ~SqliteWriteLock();
    SqliteWriteLock(const SqliteWriteLock&) = delete;
    SqliteWriteLock& operator=(const SqliteWriteLock&) = delete;
    void release();

   private:
    sqlite3* connection_ = nullptr;
    bool held_ = false;
};

// Provider `name` in a status document (throws when absent).
[[nodiscard]] const nlohmann::json& provider_status(const nlohmann::json& status, const std::string& name);

}  // namespace mdp::test
