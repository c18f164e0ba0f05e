#include "host_fixture.hpp"

#include "process_stats.hpp"

#include <csignal>
#include <regex>
#include <stdexcept>

namespace mdp::ibkr::test {

using nlohmann::json;
using namespace std::chrono_literals;

FakeTwsProcess::FakeTwsProcess(const mdp::test::TempDir& dir, std::vector<std::string> arguments, unsigned short port)
    : dir_(dir), arguments_(std::move(arguments)), port_(port) {
    start();
}

void FakeTwsProcess::start() {
    std::vector<std::string> arguments = arguments_;
    arguments.push_back("--port");
    arguments.push_back(std::to_string(port_));
    outputs_.push_back(dir_ / ("fake-tws-" + std::to_string(++generation_) + ".log"));
    process_ = std::make_unique<mdp::test::ChildProcess>(MDP_FAKE_TWS_BINARY, arguments, outputs_.back());
    static const std::regex kListening(R"(listening on [^ ]*:(\d+))");
    std::string output;
    std::smatch match;
    const bool listening = mdp::test::eventually(
        [&] {
            output = process_->output();
            return std::regex_search(output, match, kListening);
        },
        20s);
    if (!listening) {
        throw std::runtime_error("mdp-fake-tws did not start: " + process_->output());
    }
    // The first start asks for port 0 (the gateway binds a free one itself, no probe race);
    // restarts reuse that port, as a restarted gateway does.
    port_ = static_cast<unsigned short>(std::stoul(match[1].str()));
}

void FakeTwsProcess::kill() {
    process_->signal(SIGKILL);
    process_->wait(20s);
}

void FakeTwsProcess::stop() {
    process_->signal(SIGINT);
    process_->wait(20s);
}

std::string FakeTwsProcess::output() const {
    std::string all;
    for (const auto& path : outputs_) {
        all += mdp::test::read_text_file(path);
    }
    return all;
}

std::size_t FakeTwsProcess::count(const std::string& text) const {
    const std::string all = output();
    std::size_t found = 0;
    for (std::size_t at = all.find(text); at != std::string::npos; at = all.find(text, at + 1)) {
        ++found;
    }
    return found;
}

bool FakeTwsProcess::wait_for(const std::string& text, std::chrono::milliseconds timeout) {
    return mdp::test::eventually([&] { return output().find(text) != std::string::npos; }, timeout);
}

HostProcess::HostProcess(const mdp::test::TempDir& dir, const json& provider, const json& store)
    : dir_(dir), store_(store), database_(dir / "mdp.sqlite") {
    host_ = std::make_unique<mdp::test::HostRunner>(mdp::test::write_host_config(dir, host_config(provider)),
                                                    dir / "host.log");
    http_port_ = host_->wait_for_http_port(30s);
    host_->wait_until_healthy(http_port_, 30s);
}

json HostProcess::host_config(const json& provider) const {
    json provider_entry = provider;
    provider_entry["name"] = "ibkr";
    provider_entry["plugin"] = "ibkr";
    json store_section = {{"sinks", json::array({{{"type", "sqlite"}, {"name", "main"}, {"path", "mdp.sqlite"}}})}};
    for (const auto& [key, value] : store_.items()) {
        store_section[key] = value;
    }
    return {{"plugin_path", json::array({MDP_PLUGIN_DIR})},
            {"http", {{"enabled", true}, {"bind_address", "127.0.0.1"}, {"port", 0}}},
            {"logging", {{"level", "info"}}},
            {"store", store_section},
            {"providers", json::array({provider_entry})}};
}

json HostProcess::reload(const json& provider) {
    // Reloads that ended, applied or refused (a refused one leaves the generation as it is).
    const auto reloads_ended = [&]() -> std::int64_t {
        const auto document = status();
        if (!document) {
            return -1;
        }
        const json& config = document->at("config");
        return config.at("reloads_succeeded").get<std::int64_t>() + config.at("reloads_failed").get<std::int64_t>();
    };
    const std::int64_t before = reloads_ended();
    if (before < 0) {
        throw std::runtime_error("no status before the reload: " + output());
    }
    mdp::test::write_host_config(dir_, host_config(provider));
    if (::kill(host_->pid(), SIGHUP) != 0) {
        throw std::runtime_error("cannot send SIGHUP to mdp-host");
    }
    if (!mdp::test::eventually([&] { return reloads_ended() > before; }, 30s)) {
        throw std::runtime_error("the reload did not end within 30 s: " + output());
    }
    return status()->at("config");
}

HostProcess::~HostProcess() { host_->stop(SIGINT, 30s); }

std::optional<json> HostProcess::status() const { return mdp::test::try_status_document(http_port_); }

json HostProcess::provider_status() const {
    const auto document = status();
    if (!document || !document->contains("providers") || (*document)["providers"].empty()) {
        return json::object();
    }
    return (*document)["providers"][0];
}

bool HostProcess::provider_state_is(const std::string& state) const {
    const json provider = provider_status();
    return provider.value("state", "") == state;
}

std::size_t HostProcess::resident_kib() const { return mdp::test::resident_bytes(host_->pid()) / 1024; }

int HostProcess::stop() {
    const int code = host_->stop_and_wait(SIGINT, 60s);
    summary_ = host_->summary();
    return code;
}

}  // namespace mdp::ibkr::test
