#include "host_runner.hpp"

#include "http_client.hpp"

#include <csignal>
#include <cstdlib>
#include <regex>
#include <stdexcept>
#include <vector>

namespace mdp::test {

std::optional<std::string> provider_isolation_under_test() {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): tests set no variables while they run
    const char* isolation = std::getenv("MDP_TEST_PROVIDER_ISOLATION");
    return isolation != nullptr ? std::optional<std::string>(isolation) : std::nullopt;
}

std::filesystem::path write_host_config(const TempDir& dir, const nlohmann::json& config,
                                        const std::string& file_name) {
    const std::optional<std::string> isolation = provider_isolation_under_test();
    if (!isolation || !config.contains("providers")) {
        return dir.write_file(file_name, config.dump(2));
    }
    nlohmann::json isolated = config;
    for (auto& provider : isolated["providers"]) {
        if (provider.is_object() && !provider.contains("isolation")) {
            provider["isolation"] = *isolation;
        }
    }
    return dir.write_file(file_name, isolated.dump(2));
}

HostRunner::HostRunner(const std::filesystem::path& config, const std::filesystem::path& output_file,
                       const std::map<std::string, std::string>& environment)
    : process_(MDP_HOST_BINARY, std::vector<std::string>{"--config", config.string()}, output_file, environment) {}

HostRunner::~HostRunner() {
    if (process_.running()) {
        process_.signal(SIGKILL);
        process_.wait(std::chrono::seconds(10));
    }
}

bool HostRunner::wait_until(const std::function<bool(const std::string&)>& ready, std::chrono::milliseconds timeout) {
    return eventually([&] { return ready(process_.output()) || !process_.running(); }, timeout) &&
           ready(process_.output());
}

void HostRunner::wait_until_healthy(unsigned short port, std::chrono::milliseconds timeout) {
    const bool up = eventually(
        [&] {
            try {
                return process_.running() && http_get(port, "/health", std::chrono::seconds(2)).status == 200;
            } catch (const HttpClientError&) {
                return false;
            }
        },
        timeout);
    if (!up) {
        throw std::runtime_error("mdp-host did not serve /health on port " + std::to_string(port) + "; output:\n" +
                                 process_.output());
    }
}

std::optional<int> HostRunner::stop(int signal_number, std::chrono::milliseconds patience) {
    if (process_.running()) {
        process_.signal(signal_number);
    }
    return process_.wait(patience);
}

int HostRunner::stop_and_wait(int signal_number, std::chrono::milliseconds patience) {
    const auto code = stop(signal_number, patience);
    if (!code) {
        process_.signal(SIGKILL);
        process_.wait(std::chrono::seconds(10));
        throw std::runtime_error("mdp-host did not exit within " + std::to_string(patience.count()) + " ms of signal " +
                                 std::to_string(signal_number) + "; output:\n" + process_.output());
    }
    return *code;
}

unsigned short HostRunner::wait_for_http_port(std::chrono::milliseconds timeout,
                                              const std::filesystem::path& log_file) {
    const auto log = [&] { return log_file.empty() ? process_.output() : read_text_file(log_file); };
    std::optional<unsigned short> port;
    eventually(
        [&] {
            port = find_http_port(log());
            return port.has_value() || !process_.running();
        },
        timeout);
    port = find_http_port(log());
    if (!port) {
        throw std::runtime_error("mdp-host logged no \"http: listening on\" line; output:\n" + process_.output());
    }
    return *port;
}

nlohmann::json HostRunner::summary() const { return find_summary(process_.output()); }

nlohmann::json status_document(unsigned short port) {
    const HttpResponse response = http_get(port, "/api/v1/status");
    if (response.status != 200) {
        throw std::runtime_error("GET /api/v1/status answered " + std::to_string(response.status));
    }
    return nlohmann::json::parse(response.body);
}

std::optional<nlohmann::json> try_status_document(unsigned short port) {
    try {
        return status_document(port);
    } catch (const std::exception&) {  // nothing answered, an answer other than 200, or not JSON
        return std::nullopt;
    }
}

const nlohmann::json& provider_in_status(const nlohmann::json& status, const std::string& name) {
    for (const auto& entry : status.at("providers")) {
        if (entry.at("name") == name) {
            return entry;
        }
    }
    throw std::runtime_error("no provider " + name + " in the status document");
}

std::optional<unsigned short> find_http_port(const std::string& output) {
    // ADDRESS may itself contain colons (IPv6): the port follows the last one.
    static const std::regex kListening(R"(http: listening on [^\s"]*:(\d+))");
    std::smatch match;
    if (!std::regex_search(output, match, kListening)) {
        return std::nullopt;
    }
    const unsigned long port = std::stoul(match[1].str());
    if (port == 0 || port > 65535) {
        return std::nullopt;
    }
    return static_cast<unsigned short>(port);
}

nlohmann::json find_summary(const std::string& output) {
    static const std::string kMarker = "mdp-summary ";
    const std::size_t marker = output.find(kMarker);
    if (marker == std::string::npos) {
        return nullptr;
    }
    const std::size_t start = output.find('{', marker);
    const std::size_t end = output.find('\n', marker);
    if (start == std::string::npos || (end != std::string::npos && start > end)) {
        return nullptr;
    }
    return nlohmann::json::parse(output.substr(start, end == std::string::npos ? std::string::npos : end - start),
                                 nullptr, false);
}

}  // namespace mdp::test
