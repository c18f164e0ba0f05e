#include "sqlite_write_lock.hpp"

#include <sqlite3.h>

#include <stdexcept>
#include <string>

namespace mdp::test {
namespace {

void check_sqlite(int result, sqlite3* connection, const std::string& what) {
    if (result != SQLITE_OK && result != SQLITE_ROW && result != SQLITE_DONE) {
        throw std::runtime_error(what + ": " + (connection ? sqlite3_errmsg(connection) : sqlite3_errstr(result)));
    }
}

}  // namespace

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

}  // namespace mdp::test
