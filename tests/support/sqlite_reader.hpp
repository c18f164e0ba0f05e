#pragma once
// Read-only queries on a SQLite database the host may be writing at the same time (the
// sink uses WAL; a busy timeout waits out its commits), for tests that check what landed.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

struct sqlite3;

namespace mdp::test {

class SqliteReader {
   public:
    // Opens `path` read-only; throws std::runtime_error naming the path when it cannot.
    explicit SqliteReader(const std::filesystem::path& path);
    ~SqliteReader();
    SqliteReader(const SqliteReader&) = delete;
    SqliteReader& operator=(const SqliteReader&) = delete;

    // Every row, each column as text ("NULL" for NULL); `parameters` bind to ?1, ?2, ...
    // as text. Throws std::runtime_error naming the statement when it fails.
    std::vector<std::vector<std::string>> rows(const std::string& sql, const std::vector<std::string>& parameters = {});
    // The first column of the first row as an integer (0 when there is no row or it is NULL).
    std::int64_t scalar(const std::string& sql, const std::vector<std::string>& parameters = {});

   private:
    ::sqlite3* handle_ = nullptr;
};

// Number of rows in `table` of the database at `database` for `provider` (`provider` empty
// = all rows). Throws std::runtime_error when the query fails.
std::int64_t count_rows(const std::filesystem::path& database, const std::string& table,
                        const std::string& provider = "");

// Rows of `table` matching the SQL condition `where`; 0 while the database or the table
// does not exist yet (for polling a host that is still starting).
std::int64_t count_rows_where(const std::filesystem::path& database, const std::string& table,
                              const std::string& where = "1=1");

// Distinct symbols in `table` for `provider`, sorted.
std::vector<std::string> distinct_symbols(const std::filesystem::path& database, const std::string& table,
                                          const std::string& provider);

}  // namespace mdp::test
