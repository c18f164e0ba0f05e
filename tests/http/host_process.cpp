#include "host_process.hpp"

#include <sqlite3.h>

#include <csignal>
#include <stdexcept>

namespace mdp::test {
namespace {

nlohmann::json host_config(const HostOptions& options, unsigned short port, const std::filesystem::path& database) {
    nlohmann::json providers = nlohmann::json::array();
    for (const std::string& name : options.provider_names) {
        providers.push_back({{"name", name},
                             {"plugin", "synthetic"},
                             {"config",
                              {{"symbols", options.symbols},
                               {"rate_per_symbol", options.rate_per_symbol},
                               {"seed", 7},
                               {"bar_intervals_seconds", nlohmann::json::array()}}}});
    }
    return {{"plugin_path", {MDP_PLUGIN_DIR}},
            {"http", {{"enabled", true}, {"bind_address", "127.0.0.1"}, {"port", port}}},
            {"logging", {{"level", "info"}}},
            {"store",
             {{"queue_capacity", options.queue_capacity},
              {"batch_size", options.batch_size},
              {"flush_interval_ms", 50},
              {"overflow_policy", "block"},
              {"sinks", {{{"type", "sqlite"}, {"name", "main"}, {"path", database.string()}}}}}},
            {"backpressure", {{"feedback_enabled", true}, {"low_watermark_pct", 0.5}, {"high_watermark_pct", 0.8}}},
            {"providers", providers}};
}

void check_sqlite(int result, sqlite3* connection, const std::string& what) {
    if (result != SQLITE_OK && result != SQLITE_ROW && result != SQLITE_DONE) {
        throw std::runtime_error(what + ": " + (connection ? sqlite3_errmsg(connection) : sqlite3_errstr(result)));
    }
}

}  // namespace

HostProcess::HostProcess(const HostOptions& options) {
    port_ = free_loopback_port();
    const auto config_file =
        directory_.write_file("mdp.json", host_config(options, port_, directory_ / "mdp.sqlite").dump(2));
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
        throw std::runtime_error("mdp-host did not serve /health on port " + std::to_string(port_) + "; output:\n" +
                                 process_->output());
    }
    client_ = std::make_unique<HttpClient>(port_);
}

HostProcess::~HostProcess() {
    client_.reset();
    if (process_ && process_->running()) {
        process_->signal(SIGKILL);
        process_->wait(std::chrono::seconds(10));
    }
}

nlohmann::json HostProcess::status() {
    const HttpResponse response = client_->get("/api/v1/status");
    if (response.status != 200) {
        throw std::runtime_error("GET /api/v1/status answered " + std::to_string(response.status));
    }
    return nlohmann::json::parse(response.body);
}

HttpResponse HostProcess::get(const std::string& target) { return client_->get(target); }

int HostProcess::stop() {
    client_.reset();
    process_->signal(SIGTERM);
    return process_->wait(std::chrono::seconds(90)).value_or(-1);
}

nlohmann::json HostProcess::summary() const {
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

SqliteWriteLock::SqliteWriteLock(const std::filesystem::path& database) {
    check_sqlite(sqlite3_open_v2(database.c_str(), &connection_, SQLITE_OPEN_READWRITE, nullptr), connection_,
                 "opening " + database.string());
    // The host writes a batch every few milliseconds: wait for its write lock to free up.
    sqlite3_busy_timeout(connection_, 10000);
    check_sqlite(sqlite3_exec(connection_, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), connection_,
                 "BEGIN EXCLUSIVE on " + database.string());
    held_ = true;
}

void SqliteWriteLock::release() {
    if (held_) {
        check_sqlite(sqlite3_exec(connection_, "ROLLBACK", nullptr, nullptr, nullptr), connection_, "ROLLBACK");
        held_ = false;
    }
}

SqliteWriteLock::~SqliteWriteLock() {
    if (held_) {
        sqlite3_exec(connection_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    sqlite3_close(connection_);
}

std::int64_t count_rows(const std::filesystem::path& database, const std::string& table) {
    sqlite3* connection = nullptr;
    check_sqlite(sqlite3_open_v2(database.c_str(), &connection, SQLITE_OPEN_READONLY, nullptr), connection,
                 "opening " + database.string());
    sqlite3_busy_timeout(connection, 10000);
    sqlite3_stmt* statement = nullptr;
    const std::string sql = "SELECT COUNT(*) FROM " + table;
    std::int64_t count = -1;
    if (sqlite3_prepare_v2(connection, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
        count = sqlite3_column_int64(statement, 0);
    }
    const std::string error = sqlite3_errmsg(connection);
    sqlite3_finalize(statement);
    sqlite3_close(connection);
    if (count < 0) {
        throw std::runtime_error(sql + " failed: " + error);
    }
    return count;
}

const nlohmann::json& provider_status(const nlohmann::json& status, const std::string& name) {
    for (const auto& provider : status.at("providers")) {
        if (provider.at("name") == name) {
            return provider;
        }
    }
    throw std::runtime_error("no provider " + name + " in the status");
}

}  // namespace mdp::test
