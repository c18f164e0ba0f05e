#include "host_fixture.hpp"

#include "http_client.hpp"

#include <sqlite3.h>

#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mdp::ibkr::test {

using nlohmann::json;
using namespace std::chrono_literals;

// ---------------------------------------------------------------- fake gateway

FakeTwsProcess::FakeTwsProcess(const mdp::test::TempDir& dir, std::vector<std::string> arguments, unsigned short port)
    : dir_(dir), arguments_(std::move(arguments)), port_(port != 0 ? port : mdp::test::free_loopback_port()) {
    start();
}

void FakeTwsProcess::start() {
    std::vector<std::string> arguments = arguments_;
    arguments.push_back("--port");
    arguments.push_back(std::to_string(port_));
    outputs_.push_back(dir_ / ("fake-tws-" + std::to_string(++generation_) + ".log"));
    process_ = std::make_unique<mdp::test::ChildProcess>(MDP_FAKE_TWS_BINARY, arguments, outputs_.back());
    if (!process_->wait_for_output("listening on", 20s)) {
        throw std::runtime_error("mdp-fake-tws did not start: " + process_->output());
    }
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

// ---------------------------------------------------------------- host

HostProcess::HostProcess(const mdp::test::TempDir& dir, const json& provider, const json& store)
    : database_(dir / "mdp.sqlite"), http_port_(mdp::test::free_loopback_port()) {
    json provider_entry = provider;
    provider_entry["name"] = "ibkr";
    provider_entry["plugin"] = "ibkr";
    json store_section = {{"sinks", json::array({{{"type", "sqlite"}, {"name", "main"}, {"path", "mdp.sqlite"}}})}};
    for (const auto& [key, value] : store.items()) {
        store_section[key] = value;
    }
    const json config = {{"plugin_path", json::array({MDP_PLUGIN_DIR})},
                         {"http", {{"enabled", true}, {"bind_address", "127.0.0.1"}, {"port", http_port_}}},
                         {"logging", {{"level", "info"}}},
                         {"store", store_section},
                         {"providers", json::array({provider_entry})}};
    const auto config_path = dir.write_file("mdp.json", config.dump(2));
    process_ = std::make_unique<mdp::test::ChildProcess>(MDP_HOST_BINARY,
                                                         std::vector<std::string>{"--config", config_path.string()},
                                                         dir / "host.log");
    if (!mdp::test::eventually([&] { return status().has_value() || !process_->running(); }, 30s) ||
        !process_->running()) {
        throw std::runtime_error("mdp-host did not start: " + process_->output());
    }
}

HostProcess::~HostProcess() {
    if (process_ && process_->running()) {
        process_->signal(SIGINT);
        process_->wait(30s);
    }
}

std::optional<json> HostProcess::status() const {
    try {
        const auto response = mdp::test::http_get(http_port_, "/api/v1/status", 5s);
        if (response.status != 200) {
            return std::nullopt;
        }
        return json::parse(response.body);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

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

std::size_t HostProcess::resident_kib() const {
    std::ifstream file("/proc/" + std::to_string(process_->pid()) + "/status");
    std::string line;
    while (std::getline(file, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return static_cast<std::size_t>(std::stoul(line.substr(6)));
        }
    }
    return 0;
}

int HostProcess::stop() {
    process_->signal(SIGINT);
    const auto code = process_->wait(60s);
    const std::string text = process_->output();
    const std::size_t at = text.find("mdp-summary ");
    if (at != std::string::npos) {
        const std::size_t start = at + std::string("mdp-summary ").size();
        const std::size_t end = text.find('\n', start);
        summary_ = json::parse(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    }
    return code.value_or(-1);
}

// ---------------------------------------------------------------- sqlite

SqliteReader::SqliteReader(const std::filesystem::path& path) {
    if (sqlite3_open_v2(path.c_str(), &handle_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        const std::string message = handle_ != nullptr ? sqlite3_errmsg(handle_) : "out of memory";
        sqlite3_close(handle_);
        handle_ = nullptr;
        throw std::runtime_error("cannot open " + path.string() + ": " + message);
    }
    sqlite3_busy_timeout(handle_, 5000);
}

SqliteReader::~SqliteReader() { sqlite3_close(handle_); }

std::vector<std::vector<std::string>> SqliteReader::rows(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(handle_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
        const std::string message = sqlite3_errmsg(handle_);
        sqlite3_finalize(statement);
        throw std::runtime_error(sql + ": " + message);
    }
    std::vector<std::vector<std::string>> result;
    while (sqlite3_step(statement) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int column = 0; column < sqlite3_column_count(statement); ++column) {
            const auto* text = sqlite3_column_text(statement, column);
            row.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "NULL");
        }
        result.push_back(std::move(row));
    }
    sqlite3_finalize(statement);
    return result;
}

std::int64_t SqliteReader::scalar(const std::string& sql) {
    const auto result = rows(sql);
    if (result.empty() || result[0].empty() || result[0][0] == "NULL") {
        return 0;
    }
    return std::stoll(result[0][0]);
}

std::int64_t count_rows(const std::filesystem::path& path, const std::string& table, const std::string& where) {
    if (!std::filesystem::exists(path)) {
        return 0;
    }
    try {
        SqliteReader reader(path);
        return reader.scalar("SELECT count(*) FROM " + table + " WHERE " + where);
    } catch (const std::exception&) {
        return 0;  // the table is not there yet
    }
}

}  // namespace mdp::ibkr::test
