#pragma once
// Stalls a SQLite sink for real: a second connection that takes the database's write lock.

#include <filesystem>

struct sqlite3;

namespace mdp::test {

// Holds the write lock of a SQLite database (BEGIN EXCLUSIVE on its own connection), so
// every writer's BEGIN IMMEDIATE fails with SQLITE_BUSY until release().
class SqliteWriteLock {
   public:
    explicit SqliteWriteLock(const std::filesystem::path& database);
    ~SqliteWriteLock();
    SqliteWriteLock(const SqliteWriteLock&) = delete;
    SqliteWriteLock& operator=(const SqliteWriteLock&) = delete;
    void release();

   private:
    sqlite3* connection_ = nullptr;
    bool held_ = false;
};

}  // namespace mdp::test
