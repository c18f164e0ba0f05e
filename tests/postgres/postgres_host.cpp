#include "postgres_host.hpp"

namespace mdp::test {

SyntheticHostOptions synthetic_options(const PostgresHostOptions& options) {
    SyntheticHostOptions synthetic;
    synthetic.symbols = {"AAPL", "MSFT"};
    synthetic.rate_per_symbol = options.rate_per_symbol;
    synthetic.seed = 11;
    synthetic.bar_intervals_seconds = {1};
    synthetic.queue_capacity = options.queue_capacity;
    synthetic.batch_size = options.batch_size;
    synthetic.store_overrides = {{"retry_initial_backoff_ms", 50}, {"retry_max_backoff_ms", 500}};
    synthetic.sink = {{"type", "postgres"},
                      {"name", "pg"},
                      {"conninfo", options.conninfo},
                      {"connect_timeout_seconds", 2},
                      {"circuit_failure_threshold", 3},
                      {"circuit_cooldown_ms", options.circuit_cooldown_ms}};
    return synthetic;
}

nlohmann::json postgres_host_config(const PostgresHostOptions& options, unsigned short http_port) {
    return synthetic_host_config(synthetic_options(options), http_port, {});
}

nlohmann::json PostgresHost::status() const { return try_status_document(host_.port()).value_or(nullptr); }

int PostgresHost::ready_status() const {
    try {
        return host_.get("/ready").status;
    } catch (const HttpClientError&) {
        return 0;
    }
}

}  // namespace mdp::test
