#include "synthetic_host.hpp"

#include <csignal>
#include <map>

namespace mdp::test {
namespace {

nlohmann::json http_section(const SyntheticHostOptions& options, unsigned short port) {
    nlohmann::json http = {{"enabled", true}, {"bind_address", "127.0.0.1"}, {"port", port}};
    if (options.max_connections) {
        http["max_connections"] = *options.max_connections;
    }
    if (options.read_timeout_ms) {
        http["read_timeout_ms"] = *options.read_timeout_ms;
    }
    return http;
}

}  // namespace

nlohmann::json synthetic_host_config(const SyntheticHostOptions& options, unsigned short port,
                                     const std::filesystem::path& database) {
    nlohmann::json providers = nlohmann::json::array();
    for (const std::string& name : options.provider_names) {
        providers.push_back({{"name", name},
                             {"plugin", "synthetic"},
                             {"config",
                              {{"symbols", options.symbols},
                               {"rate_per_symbol", options.rate_per_symbol},
                               {"seed", options.seed},
                               {"bar_intervals_seconds", options.bar_intervals_seconds}}}});
    }
    const nlohmann::json sink = options.sink.is_null()
                                    ? nlohmann::json{{"type", "sqlite"}, {"name", "main"}, {"path", database.string()}}
                                    : options.sink;
    nlohmann::json store = {{"queue_capacity", options.queue_capacity},
                            {"batch_size", options.batch_size},
                            {"flush_interval_ms", 50},
                            {"overflow_policy", "block"},
                            {"sinks", nlohmann::json::array({sink})}};
    store.update(options.store_overrides);
    nlohmann::json config = {
        {"plugin_path", {MDP_PLUGIN_DIR}},
        {"http", http_section(options, port)},
        {"logging", {{"level", "info"}}},
        {"store", store},
        {"backpressure", {{"feedback_enabled", true}, {"low_watermark_pct", 0.5}, {"high_watermark_pct", 0.8}}},
        {"providers", providers}};
    if (!options.config_patch.is_null()) {
        config.merge_patch(options.config_patch);
    }
    return config;
}

SyntheticHost::SyntheticHost(const SyntheticHostOptions& options) {
    // Port 0: the host binds a free port itself and logs it, so no other test can take the
    // port between a probe and the host's bind.
    const nlohmann::json config = synthetic_host_config(options, 0, database());
    const auto config_file = write_host_config(directory_, config);
    // A relative logging.file resolves against the config's directory, like the host does.
    const std::filesystem::path log_file = config["logging"].contains("file")
                                               ? directory_ / config["logging"]["file"].get<std::string>()
                                               : std::filesystem::path();
    std::map<std::string, std::string> environment = options.environment;
    if (!options.admin_token.empty()) {
        environment["MDP_ADMIN_TOKEN"] = options.admin_token;
    }
    host_ = std::make_unique<HostRunner>(config_file, directory_ / "host.log", environment);
    port_ = host_->wait_for_http_port(std::chrono::seconds(60), log_file);
    host_->wait_until_healthy(port_);
}

HttpResponse SyntheticHost::get(const std::string& target) const { return http_get(port_, target); }

nlohmann::json SyntheticHost::status() const { return status_document(port_); }

nlohmann::json SyntheticHost::provider(const std::string& name) const { return provider_in_status(status(), name); }

int SyntheticHost::stop() { return host_->stop_and_wait(SIGTERM, std::chrono::seconds(120)); }

}  // namespace mdp::test
