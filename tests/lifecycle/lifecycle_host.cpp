#include "lifecycle_host.hpp"

#include <csignal>
#include <fstream>

namespace mdp::test {

using namespace std::chrono_literals;
using nlohmann::json;

LifecycleHost::LifecycleHost(const std::function<void(json&)>& edit) {
    // Port 0: the host binds a free port and logs it (no probe-and-release race). A reload
    // re-reads the same 0, which is no change of the HTTP settings.
    config_ = synthetic_host_config(SyntheticHostOptions{}, 0, database());
    edit(config_);
    config_file_ = write_host_config(directory_, config_);
    host_ = std::make_unique<HostRunner>(config_file_, directory_ / "host.log",
                                         std::map<std::string, std::string>{{"MDP_ADMIN_TOKEN", kToken}});
    port_ = host_->wait_for_http_port();
    host_->wait_until_healthy(port_);
}

void LifecycleHost::rewrite_config(const json& config) {
    config_ = config;
    rewrite_config_text(config.dump(2));
}

void LifecycleHost::rewrite_config_text(const std::string& text) {
    // Written aside and renamed, so the host never reads a half-written file.
    const auto staging = directory_ / "mdp.json.new";
    {
        std::ofstream out(staging, std::ios::trunc);
        out << text;
    }
    std::filesystem::rename(staging, config_file_);
}

json LifecycleHost::provider(const std::string& name) const { return provider_in_status(status(), name); }

std::uint64_t LifecycleHost::stored() const { return status()["sinks"][0]["events_stored"].get<std::uint64_t>(); }

HttpResponse LifecycleHost::post(const std::string& path, const std::string& token) const {
    HttpClient client(port_, "127.0.0.1", 60s);
    client.set_keep_alive(false);
    HttpHeaders headers;
    if (!token.empty()) {
        headers["Authorization"] = "Bearer " + token;
    }
    return client.post(path, "", "application/json", headers);
}

HttpResponse LifecycleHost::control(const std::string& provider, const std::string& action) const {
    return post("/api/v1/providers/" + provider + "/" + action);
}

bool LifecycleHost::state_becomes(const std::string& provider, const std::string& state) const {
    return eventually([&] { return this->provider(provider).at("state") == state; }, 30s);
}

std::optional<int> LifecycleHost::terminate() { return host_->stop(SIGTERM, 120s); }

std::vector<std::string> summary_drops(const json& summary) {
    std::vector<std::string> drops;
    for (const auto& [name, provider] : summary.at("providers").items()) {
        for (const auto& [reason, count] : provider.at("dropped_by_reason").items()) {
            if (count != 0) {
                drops.push_back(name + ": " + reason + " " + count.dump());
            }
        }
    }
    return drops;
}

std::uint64_t summary_published(const json& summary) {
    std::uint64_t total = 0;
    for (const auto& [name, provider] : summary.at("providers").items()) {
        total += provider.at("published").get<std::uint64_t>();
    }
    return total;
}

}  // namespace mdp::test
