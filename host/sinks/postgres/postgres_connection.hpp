#pragma once
// One libpq connection as the postgres sink uses it: blocking calls, each failure thrown as a
// PostgresError that says what kind of failure it was (so the sink knows whether to
// reconnect, switch to its duplicate-safe path, or just retry). Messages come from the
// server or libpq and never contain the connection string or a password.

#include "sinks/sink.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct pg_conn;

namespace mdp::sinks {

enum class PostgresErrorKind {
    connect,  // could not reach the server (refused, unknown host, timeout, TLS)
    auth,  // authentication failed (bad password, no pg_hba entry)
    missing_database,  // the database does not exist
    connection_lost,  // the connection broke during a statement (server restart, network)
    timeout,  // statement_timeout or another cancellation
    duplicate,  // unique violation: rows of the batch are already stored
    schema,  // a table or column is missing or has the wrong type
    server,  // any other error reported by the server
};

// Stable names for metrics and logs: "connect", "auth", ...
[[nodiscard]] std::string postgres_error_kind_name(PostgresErrorKind kind);

class PostgresError : public SinkError {
   public:
    PostgresError(PostgresErrorKind kind, const std::string& message, std::string sqlstate = {})
        : SinkError(message), kind_(kind), sqlstate_(std::move(sqlstate)) {}
    [[nodiscard]] PostgresErrorKind kind() const { return kind_; }
    [[nodiscard]] const std::string& sqlstate() const { return sqlstate_; }

   private:
    PostgresErrorKind kind_;
    std::string sqlstate_;
};

struct PostgresConnectionSettings {
    std::string conninfo;  // key=value or postgresql:// URI; "" = libpq environment only
    std::int64_t connect_timeout_seconds = 5;
    std::int64_t statement_timeout_ms = 30000;
    std::string application_name = "mdp-host";
};

// Throws PostgresError(connect) when `conninfo` is not a valid libpq connection string.
// The message names the problem without echoing the string (it may hold a password).
void validate_conninfo(const std::string& conninfo);

// The server and database a connection string names, for logs: "host=db port=5432
// dbname=mdp user=mdp" (only the keys it sets; never a password), or a note that libpq's PG*
// environment variables decide when it sets none of them.
std::string describe_conninfo_target(const std::string& conninfo);

class PostgresConnection {
   public:
    // Connects and sets the session's statement_timeout. Throws PostgresError.
    explicit PostgresConnection(const PostgresConnectionSettings& settings);
    ~PostgresConnection();
    PostgresConnection(const PostgresConnection&) = delete;
    PostgresConnection& operator=(const PostgresConnection&) = delete;

    // Runs statements that return no rows, or rows the caller ignores; returns the affected
    // row count the server reports (INSERT/UPDATE/COPY), else 0. Throws PostgresError.
    std::uint64_t execute(const std::string& sql, std::string_view what);
    // The first column of the first row, nullopt when no row or NULL. Throws PostgresError.
    std::optional<std::string> query_value(const std::string& sql, std::string_view what);
    // COPY ... FROM STDIN with `data` as the whole input; returns the rows copied.
    std::uint64_t copy_in(const std::string& copy_sql, std::string_view data, std::string_view what);

    // The connection still works (not broken by a lost server).
    [[nodiscard]] bool usable() const;
    // Inside a transaction block (open or failed).
    [[nodiscard]] bool in_transaction() const;
    // "host:port/database" for messages (no user, no password).
    [[nodiscard]] std::string describe() const;

   private:
    [[noreturn]] void fail(std::string_view what, const void* result) const;
    pg_conn* connection_ = nullptr;
};

}  // namespace mdp::sinks
