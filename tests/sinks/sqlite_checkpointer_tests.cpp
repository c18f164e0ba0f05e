// WAL checkpoints off the sqlite sink's write path, against real database files.

#include "sink_test_events.hpp"
#include "sinks/sqlite_checkpointer.hpp"
#include "sinks/sqlite_sink.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <chrono>
#include <functional>
#include <thread>

using mdp::sinks::SqliteCheckpointer;
using mdp::sinks::SqliteDatabase;

namespace {

// A WAL database with one table; each commit of insert_pages() adds about `pages` WAL pages.
struct WalDatabase {
    explicit WalDatabase(const std::filesystem::path& path) : database(path.string(), 1000) {
        REQUIRE(database.query_text("PRAGMA journal_mode = WAL", "wal") == "wal");
        database.execute("CREATE TABLE t (payload BLOB)", "create");
    }
    void insert_pages(int pages) {
        for (int page = 0; page < pages; ++page) {
            database.execute("INSERT INTO t VALUES (zeroblob(3000))", "insert");
        }
    }
    SqliteDatabase database;
};

bool wait_for(const std::function<bool()>& condition) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

}  // namespace

TEST_CASE("past the threshold the WAL is checkpointed by the thread, never by a commit", "[sinks][sqlite]") {
    mdp::test::TempDir dir;
    WalDatabase wal(dir / "wal.sqlite");
    SqliteCheckpointer checkpointer(wal.database, 20, 1'000'000);
    wal.insert_pages(40);  // autocommit: one transaction (and one hook call) per row
    REQUIRE(wait_for([&] { return checkpointer.background_checkpoints() >= 1; }));
    CHECK(checkpointer.writer_checkpoints() == 0);
}

TEST_CASE("a WAL past the backstop is checkpointed by the writer itself", "[sinks][sqlite]") {
    mdp::test::TempDir dir;
    WalDatabase wal(dir / "wal.sqlite");
    // The thread would start only past a million pages: the backstop (5 pages) comes first.
    SqliteCheckpointer checkpointer(wal.database, 1'000'000, 5);
    wal.insert_pages(10);
    CHECK(checkpointer.writer_checkpoints() >= 1);
    CHECK(checkpointer.background_checkpoints() == 0);
}

TEST_CASE("the sqlite sink checkpoints a WAL database in the background and keeps every row", "[sinks][sqlite]") {
    mdp::test::TempDir dir;
    mdp::sinks::SqliteSinkOptions options;
    options.path = dir / "mdp.sqlite";
    mdp::sinks::SqliteSink sink("main", options);
    sink.open(mdp::test::make_context());
    // ~150 bytes a row plus two indexes: 60 batches of 500 fill well over 1000 WAL pages.
    std::uint64_t written = 0;
    for (int batch = 0; batch < 60; ++batch) {
        sink.write(mdp::test::make_mixed_batch(500, 0, 0, written + 1));
        written += 500;
    }
    REQUIRE(wait_for([&] { return sink.background_checkpoints() >= 1; }));
    sink.close();
    sqlite3* handle = nullptr;
    REQUIRE(sqlite3_open(options.path.c_str(), &handle) == SQLITE_OK);
    sqlite3_stmt* statement = nullptr;
    REQUIRE(sqlite3_prepare_v2(handle, "SELECT count(*) FROM quotes", -1, &statement, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
    CHECK(sqlite3_column_int64(statement, 0) == static_cast<std::int64_t>(written));
    sqlite3_finalize(statement);
    sqlite3_close(handle);
}

TEST_CASE("a database that is not WAL gets no checkpointer", "[sinks][sqlite]") {
    mdp::test::TempDir dir;
    mdp::sinks::SqliteSinkOptions options;
    options.path = dir / "mdp.sqlite";
    options.journal_mode = "DELETE";
    mdp::sinks::SqliteSink sink("main", options);
    sink.open(mdp::test::make_context());
    for (int batch = 0; batch < 10; ++batch) {
        sink.write(mdp::test::make_mixed_batch(500, 0, 0, static_cast<std::uint64_t>(batch) * 500 + 1));
    }
    CHECK(sink.background_checkpoints() == 0);
}
