#pragma once
// The real mdp-host (host_runner.hpp) writing into a PostgreSQL sink ("pg"): synthetic
// provider "synthetic" (quotes, trades, 1-second bars), HTTP on a free loopback port.

#include "host_runner.hpp"
#include "http_client.hpp"
#include "temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace mdp::test {

struct PostgresHostOptions {
    std::string conninfo;
    double rate_per_symbol = 500;  // per symbol, 2 symbols
    std::size_t queue_capacity = 2000;  // watermarks 1000 / 1600
    std::size_t batch_size = 200;
    std::int64_t circuit_cooldown_ms = 300;
};

// The host's config for `options` (also used for --check-config runs).
nlohmann::json postgres_host_config(const PostgresHostOptions& options, unsigned short http_port);

class PostgresHost {
   public:
    // Starts the host and waits until /health answers; throws with the output otherwise.
    explicit PostgresHost(const PostgresHostOptions& options);
    PostgresHost(const PostgresHost&) = delete;
    PostgresHost& operator=(const PostgresHost&) = delete;

    [[nodiscard]] std::string output() const { return host_->output(); }
    // GET /api/v1/status, parsed (null when the host does not answer).
    [[nodiscard]] nlohmann::json status();
    [[nodiscard]] int ready_status();
    [[nodiscard]] HttpResponse get(const std::string& target);
    // SIGTERM, then waits for the exit (drain included); the exit code, -1 on timeout.
    int stop();
    // The mdp-summary object logged at exit (null when absent).
    [[nodiscard]] nlohmann::json summary() const;

   private:
    TempDir directory_{"mdp-pg-host"};
    unsigned short port_ = 0;
    std::unique_ptr<HostRunner> host_;
};

}  // namespace mdp::test
