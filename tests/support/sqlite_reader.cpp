#include "sqlite_reader.hpp"

#include <sqlite3.h>

#include <memory>
#include <stdexcept>

namespace mdp::test {
namespace {

struct StatementFinalizer {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

}  // namespace

SqliteReader::SqliteReader(const std::filesystem::path& path) {
    const int status = sqlite3_open_v2(path.c_str(), &handle_, SQLITE_OPEN_READONLY, nullptr);
    if (status != SQLITE_OK) {
        const std::string message = handle_ != nullptr ? sqlite3_errmsg(handle_) : sqlite3_errstr(status);
        sqlite3_close(handle_);
        handle_ = nullptr;
        throw std::runtime_error("cannot open " + path.string() + ": " + message);
    }
    // The host commits a batch every few milliseconds: wait for its write lock.
    sqlite3_busy_timeout(handle_, 10000);
}

SqliteReader::~SqliteReader() { sqlite3_close(handle_); }

std::vector<std::vector<std::string>> SqliteReader::rows(const std::string& sql,
                                                         const std::vector<std::string>& parameters) {
    sqlite3_stmt* raw = nullptr;
    const int prepared = sqlite3_prepare_v2(handle_, sql.c_str(), -1, &raw, nullptr);
    const Statement statement(raw);
    if (prepared != SQLITE_OK) {
        throw std::runtime_error("cannot prepare \"" + sql + "\": " + sqlite3_errmsg(handle_));
    }
    for (std::size_t index = 0; index < parameters.size(); ++index) {
        sqlite3_bind_text(raw, static_cast<int>(index + 1), parameters[index].c_str(), -1, SQLITE_TRANSIENT);
    }
    std::vector<std::vector<std::string>> result;
    int step = SQLITE_ROW;
    while ((step = sqlite3_step(raw)) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int column = 0; column < sqlite3_column_count(raw); ++column) {
            const auto* text = sqlite3_column_text(raw, column);
            row.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "NULL");
        }
        result.push_back(std::move(row));
    }
    if (step != SQLITE_DONE) {
        throw std::runtime_error("query failed: " + sql + ": " + sqlite3_errmsg(handle_));
    }
    return result;
}

std::int64_t SqliteReader::scalar(const std::string& sql, const std::vector<std::string>& parameters) {
    const auto result = rows(sql, parameters);
    if (result.empty() || result[0].empty() || result[0][0] == "NULL") {
        return 0;
    }
    return std::stoll(result[0][0]);
}

std::int64_t count_rows(const std::filesystem::path& database, const std::string& table, const std::string& provider) {
    SqliteReader reader(database);
    if (provider.empty()) {
        return reader.scalar("SELECT COUNT(*) FROM " + table);
    }
    return reader.scalar("SELECT COUNT(*) FROM " + table + " WHERE provider = ?1", {provider});
}

std::int64_t count_rows_where(const std::filesystem::path& database, const std::string& table,
                              const std::string& where) {
    if (!std::filesystem::exists(database)) {
        return 0;
    }
    try {
        SqliteReader reader(database);
        return reader.scalar("SELECT COUNT(*) FROM " + table + " WHERE " + where);
    } catch (const std::runtime_error&) {
        return 0;  // the sink has not created the table yet
    }
}

std::vector<std::string> distinct_symbols(const std::filesystem::path& database, const std::string& table,
                                          const std::string& provider) {
    SqliteReader reader(database);
    std::vector<std::string> symbols;
    for (auto& row :
         reader.rows("SELECT DISTINCT symbol FROM " + table + " WHERE provider = ?1 ORDER BY symbol", {provider})) {
        symbols.push_back(std::move(row.at(0)));
    }
    return symbols;
}

}  // namespace mdp::test
