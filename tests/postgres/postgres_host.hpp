#pragma once
// The real mdp-host writing into a PostgreSQL sink ("pg"): the synthetic host shape
// (synthetic_host.hpp) with provider "synthetic" (AAPL and MSFT: quotes, trades, 1-second
// bars), short retry and circuit-breaker timings, and accessors that tolerate a host that
// does not answer (the outage tests poll through failures).

#include "synthetic_host.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace mdp::test {

struct PostgresHostOptions {
    std::string conninfo;
    double rate_per_symbol = 500;  // per symbol, 2 symbols
    std::size_t queue_capacity = 2000;  // watermarks 1000 / 1600
    std::size_t batch_size = 200;
    std::int64_t circuit_cooldown_ms = 300;
};

// The synthetic host options for `options`.
[[nodiscard]] SyntheticHostOptions synthetic_options(const PostgresHostOptions& options);

// The host's config for `options` (also used for --check-config runs).
[[nodiscard]] nlohmann::json postgres_host_config(const PostgresHostOptions& options, unsigned short http_port);

class PostgresHost {
   public:
    // Starts the host and waits until /health answers; throws with the output otherwise.
    explicit PostgresHost(const PostgresHostOptions& options) : host_(synthetic_options(options)) {}

    [[nodiscard]] std::string output() const { return host_.output(); }
    // GET /api/v1/status, parsed (null when the host does not answer).
    [[nodiscard]] nlohmann::json status() const;
    // The status of GET /ready (0 when the host does not answer).
    [[nodiscard]] int ready_status() const;
    [[nodiscard]] HttpResponse get(const std::string& target) const { return host_.get(target); }
    // SIGTERM, then waits for the exit (drain included); the exit code (throws on a hang).
    int stop() { return host_.stop(); }
    // The mdp-summary object logged at exit (null when absent).
    [[nodiscard]] nlohmann::json summary() const { return host_.summary(); }

   private:
    SyntheticHost host_;
};

}  // namespace mdp::test
