#include "nats_server.hpp"

#include "http_client.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <regex>
#include <stdexcept>

namespace mdp::test {

namespace {

constexpr auto kReadyTimeout = std::chrono::seconds(20);

unsigned short port_after(const std::string& log, const std::string& label) {
    const std::regex pattern(label + " on 127\\.0\\.0\\.1:([0-9]+)");
    std::smatch match;
    if (!std::regex_search(log, match, pattern)) {
        throw std::runtime_error("nats-server did not log \"" + label + " on 127.0.0.1:<port>\":\n" + log);
    }
    return static_cast<unsigned short>(std::stoi(match[1].str()));
}

}  // namespace

std::optional<std::filesystem::path> NatsServer::find_binary() {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): read before any thread starts
    if (const char* configured = std::getenv("MDP_NATS_SERVER"); configured != nullptr && *configured != '\0') {
        return std::filesystem::path(configured);
    }
    // Debian installs it in /usr/sbin.
    for (const char* candidate : {"/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"}) {
        if (std::filesystem::exists(candidate)) {
            return std::filesystem::path(candidate);
        }
    }
    return std::nullopt;
}

NatsServer::NatsServer(NatsServerOptions options) : options_(std::move(options)) {
    const auto binary = find_binary();
    if (!binary) {
        throw std::runtime_error("nats-server is not installed (Debian package nats-server; scripts/install-deps.sh)");
    }
    binary_ = *binary;
    std::filesystem::create_directories(directory_ / "store");
    launch();
}

NatsServer::~NatsServer() {
    if (process_ != nullptr) {
        kill();
    }
}

void NatsServer::launch() {
    std::vector<std::string> arguments = {"-js",
                                          "-sd",
                                          (directory_ / "store").string(),
                                          "-a",
                                          "127.0.0.1",
                                          "-p",
                                          port_ == 0 ? "-1" : std::to_string(port_),
                                          "-m",
                                          monitor_port_ == 0 ? "-1" : std::to_string(monitor_port_)};
    if (!options_.user.empty()) {
        arguments.insert(arguments.end(), {"--user", options_.user, "--pass", options_.password});
    }
    const auto log_file = directory_ / ("nats-server-" + std::to_string(++starts_) + ".log");
    process_ = std::make_unique<ChildProcess>(binary_.string(), arguments, log_file);
    if (!process_->wait_for_output("Server is ready", kReadyTimeout)) {
        const std::string output = process_->output();
        process_.reset();
        throw std::runtime_error("nats-server was not ready within 20 s:\n" + output);
    }
    const std::string output = process_->output();
    port_ = port_after(output, "Listening for client connections");
    monitor_port_ = port_after(output, "Starting http monitor");
}

void NatsServer::kill() {
    if (process_ == nullptr) {
        return;
    }
    process_->signal(SIGKILL);
    if (!process_->wait(std::chrono::seconds(10))) {
        throw std::runtime_error("nats-server did not die within 10 s of SIGKILL");
    }
    process_.reset();
}

void NatsServer::start() {
    if (process_ == nullptr) {
        launch();
    }
}

std::string NatsServer::log() const {
    std::string text;
    for (int start = 1; start <= starts_; ++start) {
        text += read_text_file(directory_ / ("nats-server-" + std::to_string(start) + ".log"));
    }
    return text;
}

nlohmann::json NatsServer::jsz() const {
    const HttpResponse response = http_get(monitor_port_, "/jsz?consumers=true&config=true");
    return nlohmann::json::parse(response.body);
}

}  // namespace mdp::test
