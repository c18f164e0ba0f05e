#pragma once
// RAII over the SQLite C API as the sqlite sink uses it: one connection, prepared statements
// reused across batches. Failures throw SqliteError (a SinkError) carrying SQLite's primary
// result code so callers can tell a lock (SQLITE_BUSY/SQLITE_LOCKED) from real damage.

#include "sinks/sink.hpp"

#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace mdp::sinks {

class SqliteError : public SinkError {
   public:
    SqliteError(int primary_code, const std::string& message) : SinkError(message), primary_code_(primary_code) {}
    [[nodiscard]] int primary_code() const { return primary_code_; }
    // Another connection holds a lock that outlasted busy_timeout: retrying later helps.
    [[nodiscard]] bool is_lock_conflict() const;

   private:
    int primary_code_;
};

class SqliteDatabase {
   public:
    // Opens (creating) the database file read-write. Throws SqliteError.
    SqliteDatabase(const std::string& path, std::int64_t busy_timeout_ms);
    ~SqliteDatabase();
    SqliteDatabase(const SqliteDatabase&) = delete;
    SqliteDatabase& operator=(const SqliteDatabase&) = delete;

    // Runs one or more statements without results. Throws SqliteError naming `what`.
    void execute(std::string_view sql, std::string_view what);
    // Runs a statement returning one text value (e.g. a PRAGMA), "" when it returns no row.
    [[nodiscard]] std::string query_text(const std::string& sql, std::string_view what);
    [[nodiscard]] bool in_transaction() const;

    [[nodiscard]] sqlite3* handle() const { return handle_; }
    [[nodiscard]] const std::string& path() const { return path_; }
    // Throws SqliteError for `code` with the connection's current message, naming `what`.
    [[noreturn]] void fail(int code, std::string_view what) const;

   private:
    sqlite3* handle_ = nullptr;
    std::string path_;
};

class SqliteStatement {
   public:
    SqliteStatement(SqliteDatabase& database, const std::string& sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    // Parameter indexes are 1-based as in SQLite. Text is copied only if SQLite needs to
    // (SQLITE_STATIC: the caller keeps `text` alive until execute() returns).
    void bind_text(int index, std::string_view text);
    void bind_int(int index, std::int64_t value);
    // Non-finite values (NaN = "not known") are stored as NULL.
    void bind_real_or_null(int index, double value);
    // Steps to completion, resets and clears bindings; returns the rows changed.
    std::int64_t execute();
    // Resets after a failure so the statement can be reused (no throw).
    void reset() noexcept;

   private:
    SqliteDatabase& database_;
    sqlite3_stmt* statement_ = nullptr;
    std::string sql_;
};

}  // namespace mdp::sinks
