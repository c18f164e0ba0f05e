#include "prometheus_server.hpp"

#include "http_client.hpp"

#include <csignal>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace mdp::test {

std::string url_encode(const std::string& text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string encoded;
    for (const char character : text) {
        const auto byte = static_cast<unsigned char>(character);
        if (std::isalnum(byte) || character == '-' || character == '_' || character == '.' || character == '~') {
            encoded.push_back(character);
        } else {
            encoded.push_back('%');
            encoded.push_back(kHex[byte >> 4]);
            encoded.push_back(kHex[byte & 0x0F]);
        }
    }
    return encoded;
}

PrometheusServer::PrometheusServer(const std::vector<std::string>& targets, const PrometheusOptions& options) {
    std::ostringstream config;
    config << "global:\n"
           << "  scrape_interval: 1s\n"
           << "  scrape_timeout: 1s\n"
           << "  evaluation_interval: 1s\n"
           << "scrape_configs:\n"
           << "  - job_name: " << options.job_name << "\n"
           << "    metrics_path: " << options.metrics_path << "\n"
           << "    static_configs:\n"
           << "      - targets: [";
    for (std::size_t index = 0; index < targets.size(); ++index) {
        config << (index == 0 ? "" : ", ") << "'" << targets[index] << "'";
    }
    config << "]\n";
    const auto config_file = directory_.write_file("prometheus.yml", config.str());

    // Port 0: Prometheus binds a free port itself and logs the address it got
    // (`msg="Listening on" address=127.0.0.1:PORT`), so no other test can take it first.
    process_ = std::make_unique<ChildProcess>(
        options.binary,
        std::vector<std::string>{
            "--config.file=" + config_file.string(), "--storage.tsdb.path=" + (directory_ / "tsdb").string(),
            "--web.listen-address=127.0.0.1:0", "--storage.tsdb.retention.time=1h", "--log.level=info"},
        directory_ / "prometheus.log");
    static const std::regex kListening(R"(msg="Listening on" address=127\.0\.0\.1:(\d+))");
    const bool ready = eventually(
        [&] {
            const std::string output = process_->output();
            std::smatch match;
            if (port_ == 0 && std::regex_search(output, match, kListening)) {
                port_ = static_cast<unsigned short>(std::stoul(match[1].str()));
            }
            try {
                return port_ != 0 && http_get(port_, "/-/ready", std::chrono::seconds(2)).status == 200;
            } catch (const HttpClientError&) {
                return false;
            }
        },
        options.startup_timeout);
    if (!ready) {
        throw std::runtime_error("prometheus did not become ready (port " + std::to_string(port_) + "); its log:\n" +
                                 process_->output());
    }
}

PrometheusServer::~PrometheusServer() {
    if (process_ && process_->running()) {
        process_->signal(SIGTERM);
        if (!process_->wait(std::chrono::seconds(20))) {
            process_->signal(SIGKILL);
            process_->wait(std::chrono::seconds(5));
        }
    }
}

std::string PrometheusServer::log() const { return process_ ? process_->output() : std::string(); }

nlohmann::json PrometheusServer::api_get(const std::string& target) const {
    const HttpResponse response = http_get(port_, target, std::chrono::seconds(10));
    nlohmann::json document = nlohmann::json::parse(response.body);
    if (document.value("status", "") != "success") {
        throw std::runtime_error("prometheus " + target + " failed: " + response.body);
    }
    return document["data"];
}

nlohmann::json PrometheusServer::query(const std::string& promql) const {
    return api_get("/api/v1/query?query=" + url_encode(promql))["result"];
}

std::optional<double> PrometheusServer::query_value(const std::string& promql) const {
    const nlohmann::json data = api_get("/api/v1/query?query=" + url_encode(promql));
    const nlohmann::json& result = data["result"];
    const std::string type = data.value("resultType", "");
    if (type == "scalar") {
        return std::stod(result[1].get<std::string>());
    }
    if (!result.is_array() || result.size() != 1) {
        return std::nullopt;
    }
    return std::stod(result[0]["value"][1].get<std::string>());
}

nlohmann::json PrometheusServer::active_target(const std::string& target) const {
    const nlohmann::json data = api_get("/api/v1/targets?state=active");
    for (const auto& candidate : data["activeTargets"]) {
        if (candidate["labels"].value("instance", "") == target) {
            return candidate;
        }
    }
    return nullptr;
}

std::string PrometheusServer::target_health(const std::string& target) const {
    const nlohmann::json found = active_target(target);
    return found.is_null() ? std::string() : found.value("health", "");
}

std::string PrometheusServer::target_last_error(const std::string& target) const {
    const nlohmann::json found = active_target(target);
    return found.is_null() ? std::string() : found.value("lastError", "");
}

}  // namespace mdp::test
