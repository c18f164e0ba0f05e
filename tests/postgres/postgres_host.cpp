#include "postgres_host.hpp"

#include <csignal>

namespace mdp::test {

nlohmann::json postgres_host_config(const PostgresHostOptions& options, unsigned short http_port) {
    return {{"plugin_path", {MDP_PLUGIN_DIR}},
            {"http", {{"enabled", true}, {"bind_address", "127.0.0.1"}, {"port", http_port}}},
            {"logging", {{"level", "info"}}},
            {"store",
             {{"queue_capacity", options.queue_capacity},
              {"batch_size", options.batch_size},
              {"flush_interval_ms", 50},
              {"overflow_policy", "block"},
              {"retry_initial_backoff_ms", 50},
              {"retry_max_backoff_ms", 500},
              {"sinks",
               {{{"type", "postgres"},
                 {"name", "pg"},
                 {"conninfo", options.conninfo},
                 {"connect_timeout_seconds", 2},
                 {"retry_attempts", 2},
                 {"retry_initial_backoff_ms", 20},
                 {"retry_max_backoff_ms", 100},
                 {"circuit_failure_threshold", 3},
                 {"circuit_cooldown_ms", options.circuit_cooldown_ms}}}}}},
            {"backpressure", {{"feedback_enabled", true}, {"low_watermark_pct", 0.5}, {"high_watermark_pct", 0.8}}},
            {"providers",
             {{{"name", "synthetic"},
               {"plugin", "synthetic"},
               {"config",
                {{"symbols", {"AAPL", "MSFT"}},
                 {"rate_per_symbol", options.rate_per_symbol},
                 {"seed", 11},
                 {"bar_intervals_seconds", {1}}}}}}}};
}

PostgresHost::PostgresHost(const PostgresHostOptions& options) {
    port_ = free_loopback_port();
    const auto config_file = write_host_config(directory_, postgres_host_config(options, port_));
    host_ = std::make_unique<HostRunner>(config_file, directory_ / "host.log");
    host_->wait_until_healthy(port_);
}

nlohmann::json PostgresHost::status() {
    try {
        const HttpResponse response = http_get(port_, "/api/v1/status");
        return response.status == 200 ? nlohmann::json::parse(response.body) : nlohmann::json();
    } catch (const HttpClientError&) {
        return nullptr;
    }
}

int PostgresHost::ready_status() {
    try {
        return http_get(port_, "/ready").status;
    } catch (const HttpClientError&) {
        return 0;
    }
}

HttpResponse PostgresHost::get(const std::string& target) { return http_get(port_, target); }

int PostgresHost::stop() { return host_->stop(SIGTERM, std::chrono::seconds(120)).value_or(-1); }

nlohmann::json PostgresHost::summary() const { return host_->summary(); }

}  // namespace mdp::test
