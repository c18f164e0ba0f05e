#include "hardened_host.hpp"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>

namespace mdp::test {

namespace {

nlohmann::json host_config(const HardenedHostOptions& options, unsigned short port,
                           const std::filesystem::path& database) {
    nlohmann::json providers = nlohmann::json::array();
    for (const std::string& name : options.provider_names) {
        providers.push_back({{"name", name},
                             {"plugin", "synthetic"},
                             {"config",
                              {{"symbols", {"AAA", "BBB"}},
                               {"rate_per_symbol", options.rate_per_symbol},
                               {"seed", 11},
                               {"bar_intervals_seconds", nlohmann::json::array()}}}});
    }
    return {{"plugin_path", {MDP_PLUGIN_DIR}},
            {"http",
             {{"enabled", true},
              {"bind_address", "127.0.0.1"},
              {"port", port},
              {"max_connections", options.max_connections},
              {"read_timeout_ms", options.read_timeout_ms}}},
            {"logging", {{"level", "info"}}},
            {"store",
             {{"queue_capacity", 5000},
              {"batch_size", 200},
              {"flush_interval_ms", 50},
              {"overflow_policy", "block"},
              {"sinks", {{{"type", "sqlite"}, {"name", "main"}, {"path", database.string()}}}}}},
            {"providers", providers}};
}

}  // namespace

HardenedHost::HardenedHost(const HardenedHostOptions& options) {
    port_ = free_loopback_port();
    const auto config_file =
        directory_.write_file("mdp.json", host_config(options, port_, directory_ / "mdp.sqlite").dump(2));
    std::map<std::string, std::string> environment;
    if (!options.admin_token.empty()) {
        environment["MDP_ADMIN_TOKEN"] = options.admin_token;
    }
    process_ = std::make_unique<ChildProcess>(MDP_HOST_BINARY, std::vector<std::string>{"--config", config_file.string()},
                                              directory_ / "host.log", environment);
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
        throw std::runtime_error("mdp-host did not serve /health on port " + std::to_string(port_) + "; output:\n" +
                                 process_->output());
    }
}

HardenedHost::~HardenedHost() {
    if (process_ && process_->running()) {
        process_->signal(SIGKILL);
        process_->wait(std::chrono::seconds(10));
    }
}

nlohmann::json HardenedHost::status() const {
    const HttpResponse response = http_get(port_, "/api/v1/status");
    if (response.status != 200) {
        throw std::runtime_error("GET /api/v1/status answered " + std::to_string(response.status));
    }
    return nlohmann::json::parse(response.body);
}

nlohmann::json HardenedHost::provider(const std::string& name) const {
    const nlohmann::json document = status();
    for (const auto& entry : document.at("providers")) {
        if (entry.at("name") == name) {
            return entry;
        }
    }
    throw std::runtime_error("no provider " + name + " in the status document");
}

int HardenedHost::stop() {
    process_->signal(SIGTERM);
    return process_->wait(std::chrono::seconds(120)).value_or(-1);
}

nlohmann::json HardenedHost::summary() const {
    const std::string output = process_->output();
    const std::string marker = "mdp-summary ";
    const std::size_t at = output.find(marker);
    if (at == std::string::npos) {
        return nullptr;
    }
    const std::size_t start = output.find('{', at);
    const std::size_t end = output.find('\n', at);
    return nlohmann::json::parse(output.substr(start, end - start), nullptr, false);
}

std::uint64_t resident_bytes(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::stoull(line.substr(6)) * 1024;  // the kernel reports kB
        }
    }
    throw std::runtime_error("no VmRSS for process " + std::to_string(pid));
}

std::size_t open_descriptors(pid_t pid) {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry :
         std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
        ++count;
    }
    return count;
}

}  // namespace mdp::test
