#include "sinks/sqlite/sqlite_handles.hpp"

#include <sqlite3.h>

#include <cmath>

namespace mdp::sinks {

bool SqliteError::is_lock_conflict() const { return primary_code_ == SQLITE_BUSY || primary_code_ == SQLITE_LOCKED; }

SqliteDatabase::SqliteDatabase(const std::string& path, std::int64_t busy_timeout_ms) : path_(path) {
    const int code = sqlite3_open_v2(path.c_str(), &handle_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (code != SQLITE_OK) {
        const std::string reason = handle_ != nullptr ? sqlite3_errmsg(handle_) : sqlite3_errstr(code);
        sqlite3_close_v2(handle_);
        handle_ = nullptr;
        throw SqliteError(code & 0xFF, "cannot open SQLite database " + path + ": " + reason);
    }
    sqlite3_extended_result_codes(handle_, 1);
    sqlite3_busy_timeout(handle_, static_cast<int>(busy_timeout_ms));
}

SqliteDatabase::~SqliteDatabase() { sqlite3_close_v2(handle_); }

void SqliteDatabase::fail(int code, std::string_view what) const {
    const int primary = code & 0xFF;
    std::string message;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
        message = "database is locked: " + path_ + " (" + std::string(what) +
                  "; another connection holds a lock longer than busy_timeout_ms)";
    } else {
        message = "SQLite error in " + path_ + " (" + std::string(what) + "): " + sqlite3_errmsg(handle_);
    }
    throw SqliteError(primary, message);
}

void SqliteDatabase::execute(std::string_view sql, std::string_view what) {
    const std::string text(sql);
    const int code = sqlite3_exec(handle_, text.c_str(), nullptr, nullptr, nullptr);
    if (code != SQLITE_OK) {
        fail(code, what);
    }
}

std::string SqliteDatabase::query_text(const std::string& sql, std::string_view what) {
    sqlite3_stmt* statement = nullptr;
    int code = sqlite3_prepare_v2(handle_, sql.c_str(), -1, &statement, nullptr);
    if (code != SQLITE_OK) {
        fail(code, what);
    }
    std::string value;
    code = sqlite3_step(statement);
    if (code == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(statement, 0);
        value = text == nullptr ? "" : reinterpret_cast<const char*>(text);
        code = SQLITE_DONE;
    }
    sqlite3_finalize(statement);
    if (code != SQLITE_DONE) {
        fail(code, what);
    }
    return value;
}

bool SqliteDatabase::in_transaction() const { return sqlite3_get_autocommit(handle_) == 0; }

SqliteStatement::SqliteStatement(SqliteDatabase& database, const std::string& sql) : database_(database), sql_(sql) {
    const int code =
        sqlite3_prepare_v3(database_.handle(), sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &statement_, nullptr);
    if (code != SQLITE_OK) {
        database_.fail(code, "preparing a statement");
    }
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(statement_); }

void SqliteStatement::bind_text(int index, std::string_view text) {
    sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

void SqliteStatement::bind_int(int index, std::int64_t value) { sqlite3_bind_int64(statement_, index, value); }

void SqliteStatement::bind_real_or_null(int index, double value) {
    if (std::isfinite(value)) {
        sqlite3_bind_double(statement_, index, value);
    } else {
        sqlite3_bind_null(statement_, index);
    }
}

std::int64_t SqliteStatement::execute() {
    const int code = sqlite3_step(statement_);
    if (code != SQLITE_DONE) {
        try {
            database_.fail(code, "writing a row");  // reads the message before reset() clears it
        } catch (...) {
            reset();
            throw;
        }
    }
    reset();
    return sqlite3_changes64(database_.handle());
}

void SqliteStatement::reset() noexcept {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
}

}  // namespace mdp::sinks
