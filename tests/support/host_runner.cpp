#include "host_runner.hpp"

#include "http_client.hpp"

#include <sqlite3.h>

#include <csignal>
#include <memory>
#include <stdexcept>
#include <vector>

namespace mdp::test {

namespace {

struct SqliteCloser {
    void operator()(sqlite3* database) const { sqlite3_close(database); }
};
struct StatementFinalizer {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Database = std::unique_ptr<sqlite3, SqliteCloser>;
using Statement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

Database open_read_only(const std::filesystem::path& path) {
    sqlite3* raw = nullptr;
    const int status = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    Database database(raw);
    if (status != SQLITE_OK) {
        throw std::runtime_error("cannot open " + path.string() + ": " + sqlite3_errstr(status));
    }
    // The host commits a batch every few milliseconds: wait for its write lock.
    sqlite3_busy_timeout(raw, 10000);
    return database;
}

Statement prepare(sqlite3* database, const std::string& sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(database, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
        throw std::runtime_error("cannot prepare \"" + sql + "\": " + sqlite3_errmsg(database));
    }
    return Statement(raw);
}

}  // namespace

std::filesystem::path write_host_config(const TempDir& dir, const nlohmann::json& config,
                                        const std::string& file_name) {
    return dir.write_file(file_name, config.dump(2));
}

HostRunner::HostRunner(const std::filesystem::path& config, const std::filesystem::path& output_file)
    : process_(MDP_HOST_BINARY, std::vector<std::string>{"--config", config.string()}, output_file) {}

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

nlohmann::json HostRunner::summary() const { return find_summary(process_.output()); }

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

std::int64_t count_rows(const std::filesystem::path& database, const std::string& table,
                        const std::string& provider) {
    const Database connection = open_read_only(database);
    const std::string sql =
        "SELECT COUNT(*) FROM " + table + (provider.empty() ? std::string() : " WHERE provider = ?1");
    const Statement statement = prepare(connection.get(), sql);
    if (!provider.empty()) {
        sqlite3_bind_text(statement.get(), 1, provider.c_str(), -1, SQLITE_TRANSIENT);
    }
    if (sqlite3_step(statement.get()) != SQLITE_ROW) {
        throw std::runtime_error("query failed: " + sql + ": " + sqlite3_errmsg(connection.get()));
    }
    return sqlite3_column_int64(statement.get(), 0);
}

std::vector<std::string> distinct_symbols(const std::filesystem::path& database, const std::string& table,
                                          const std::string& provider) {
    const Database connection = open_read_only(database);
    const Statement statement =
        prepare(connection.get(), "SELECT DISTINCT symbol FROM " + table + " WHERE provider = ?1 ORDER BY symbol");
    sqlite3_bind_text(statement.get(), 1, provider.c_str(), -1, SQLITE_TRANSIENT);
    std::vector<std::string> symbols;
    while (sqlite3_step(statement.get()) == SQLITE_ROW) {
        symbols.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(statement.get(), 0)));
    }
    return symbols;
}

}  // namespace mdp::test
