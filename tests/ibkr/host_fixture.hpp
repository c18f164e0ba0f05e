#pragma once
// Processes for the host integration tests: mdp-fake-tws and mdp-host (with the ibkr plugin
// and a SQLite sink) in a temp dir on loopback ports, plus readers for what they produce
// (SQLite rows, the status API, the mdp-summary line).

#include "child_process.hpp"
#include "temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace mdp::ibkr::test {

// mdp-fake-tws on a loopback port; restartable on the same port.
class FakeTwsProcess {
   public:
    FakeTwsProcess(const mdp::test::TempDir& dir, std::vector<std::string> arguments, unsigned short port = 0);
    void start();
    void kill();  // SIGKILL: a crash, not a clean shutdown
    void stop();  // SIGINT and wait
    [[nodiscard]] unsigned short port() const { return port_; }
    [[nodiscard]] std::string output() const;
    [[nodiscard]] std::size_t count(const std::string& text) const;
    bool wait_for(const std::string& text, std::chrono::milliseconds timeout);
    // Replaces the arguments for the next start().
    void set_arguments(std::vector<std::string> arguments) { arguments_ = std::move(arguments); }

   private:
    const mdp::test::TempDir& dir_;
    std::vector<std::string> arguments_;
    unsigned short port_;
    int generation_ = 0;
    std::vector<std::filesystem::path> outputs_;
    std::unique_ptr<mdp::test::ChildProcess> process_;
};

// mdp-host with one ibkr provider named "ibkr" and a SQLite sink, HTTP on a loopback port.
class HostProcess {
   public:
    // `provider` is the providers[0] object without name/plugin (e.g. {"config": ..., "rate_scale": ...});
    // `store` overrides keys of the store section.
    HostProcess(const mdp::test::TempDir& dir, const nlohmann::json& provider, const nlohmann::json& store = {});
    ~HostProcess();

    [[nodiscard]] pid_t pid() const { return process_->pid(); }
    [[nodiscard]] std::string output() const { return process_->output(); }
    [[nodiscard]] const std::filesystem::path& database() const { return database_; }
    [[nodiscard]] unsigned short http_port() const { return http_port_; }

    // GET /api/v1/status (nullopt while the server does not answer).
    [[nodiscard]] std::optional<nlohmann::json> status() const;
    // providers[0] of the status ({} when unavailable).
    [[nodiscard]] nlohmann::json provider_status() const;
    [[nodiscard]] bool provider_state_is(const std::string& state) const;
    // Resident memory of the host process in KiB (from /proc).
    [[nodiscard]] std::size_t resident_kib() const;

    // SIGINT, wait for exit; returns the exit code and parses the mdp-summary line.
    int stop();
    [[nodiscard]] const nlohmann::json& summary() const { return summary_; }

   private:
    std::unique_ptr<mdp::test::ChildProcess> process_;
    std::filesystem::path database_;
    unsigned short http_port_;
    nlohmann::json summary_;
};

// Read-only queries on the sink's database (safe while the host writes: WAL).
class SqliteReader {
   public:
    explicit SqliteReader(const std::filesystem::path& path);
    ~SqliteReader();
    SqliteReader(const SqliteReader&) = delete;
    SqliteReader& operator=(const SqliteReader&) = delete;

    // The first column of the first row as an integer (0 when no row, or no table yet).
    std::int64_t scalar(const std::string& sql);
    // Every row, each column as text ("NULL" for NULL).
    std::vector<std::vector<std::string>> rows(const std::string& sql);

   private:
    ::sqlite3* handle_ = nullptr;
};

// Counts rows in `table` of `path` (0 when the database or table does not exist yet).
std::int64_t count_rows(const std::filesystem::path& path, const std::string& table,
                        const std::string& where = "1=1");

}  // namespace mdp::ibkr::test
