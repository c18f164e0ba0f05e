#include "postgres_host.hpp"

#include <csignal>
#include <stdexcept>

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
    const auto config_file = directory_.write_file("mdp.json", postgres_host_config(options, port_).dump(2));
    process_ = std::make_unique<ChildProcess>(MDP_HOST_BINARY, std::vector<std::string>{"--config", config_file.string()},
                                              directory_ / "host.log");
    const bool up = eventually(
        [&] {
            try {
                return process_->running() && http_get(port_, "/health", std::chrono::seconds(2)).status == 200;
            } catch (const HttpClientError&) {
                return false;
            }
        },
        std::chrono::seconds(60));
    if (!up) {
        throw std::runtime_error("mdp-host did not serve /health; output:\n" + process_->output());
    }
}

PostgresHost::~PostgresHost() {
    if (process_ && process_->running()) {
        process_->signal(SIGKILL);
        process_->wait(std::chrono::seconds(10));
    }
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

int PostgresHost::stop() {
    process_->signal(SIGTERM);
    return process_->wait(std::chrono::seconds(120)).value_or(-1);
}

nlohmann::json PostgresHost::summary() const { return summary_in(process_->output()); }

nlohmann::json summary_in(const std::string& output) {
    const std::string marker = "mdp-summary ";
    const std::size_t at = output.find(marker);
    if (at == std::string::npos) {
        return nullptr;
    }
    const std::size_t start = output.find('{', at);
    const std::size_t end = output.find('\n', at);
    return nlohmann::json::parse(output.substr(start, end - start), nullptr, false);
}

}  // namespace mdp::test
