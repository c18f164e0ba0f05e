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
    const auto config_file = write_host_config(directory_, host_config(options, port_, directory_ / "mdp.sqlite"));
    host_ = std::make_unique<HostRunner>(config_file, directory_ / "host.log");
    host_->wait_until_healthy(port_);
    client_ = std::make_unique<HttpClient>(port_);
}

HostProcess::~HostProcess() { client_.reset(); }

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
    return host_->stop(SIGTERM, std::chrono::seconds(90)).value_or(-1);
}

nlohmann::json HostProcess::summary() const { return host_->summary(); }

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

const nlohmann::json& provider_status(const nlohmann::json& status, const std::string& name) {
    for (const auto& provider : status.at("providers")) {
        if (provider.at("name") == name) {
            return provider;
        }
    }
    throw std::runtime_error("no provider " + name + " in the status");
}

}  // namespace mdp::test
