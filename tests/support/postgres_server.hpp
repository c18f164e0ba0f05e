#pragma once
// A throwaway PostgreSQL server for tests: initdb into a fresh temp dir, started on a free
// 127.0.0.1 port (and a unix socket inside that dir), password authentication over TCP,
// stopped and deleted at the end. Uses the Debian `postgresql` package's binaries
// (/usr/lib/postgresql/<version>/bin, or MDP_PG_BINDIR). PostgreSQL refuses to run as root:
// under root the server runs as the system user `mdptest` (created if missing).

#include "child_process.hpp"
#include "temp_dir.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace mdp::test {

struct PostgresServerOptions {
    // fsync/full_page_writes off: much faster, still survives a clean stop/start (tests only).
    bool durable = false;
};

class PostgresServer {
   public:
    // Throws std::runtime_error (with the server log) when the server cannot be set up.
    explicit PostgresServer(PostgresServerOptions options = {});
    ~PostgresServer();
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

    // The directory with initdb/pg_ctl/psql, or nullopt when PostgreSQL is not installed.
    static std::optional<std::filesystem::path> find_bin_dir();

    // Fast shutdown (sessions are terminated), waiting until it is down; start() on the same
    // port and data. Both throw std::runtime_error on failure.
    void stop();
    void start();
    [[nodiscard]] bool running() const { return running_; }

    [[nodiscard]] unsigned short port() const { return port_; }
    [[nodiscard]] const std::string& user() const { return user_; }
    [[nodiscard]] const std::string& password() const { return password_; }
    // A libpq connection string for `database` over TCP (sslmode=disable).
    [[nodiscard]] std::string conninfo(const std::string& database = "postgres") const;

    // Runs `sql` with psql (-At, stop on error) as the superuser; output is rows, one a line.
    [[nodiscard]] RunResult psql(const std::string& sql, const std::string& database = "postgres") const;
    // Like psql() but throws std::runtime_error when psql fails; returns the trimmed output.
    std::string query(const std::string& sql, const std::string& database = "postgres") const;
    void create_database(const std::string& name) const;
    [[nodiscard]] std::string log() const;
    [[nodiscard]] const std::filesystem::path& bin_dir() const { return bin_dir_; }

   private:
    [[nodiscard]] RunResult run_as_server_user(const std::string& tool,
                                               const std::vector<std::string>& arguments) const;
    void stop_with_mode(const std::string& mode) noexcept;
    void start_on_a_free_port();

    PostgresServerOptions options_;
    TempDir directory_{"mdp-postgres"};
    std::filesystem::path bin_dir_;
    std::filesystem::path cluster_dir_;  // owned by the server user: data/, socket, log
    std::string server_user_;  // OS user running the server ("" = this process's user)
    std::string user_ = "mdp";
    std::string password_ = "mdp-test-password";
    unsigned short port_ = 0;
    bool running_ = false;
};

}  // namespace mdp::test
