#pragma once
// WAL checkpoints off the sqlite sink's write path. A checkpoint copies the WAL back into the
// database file and fsyncs both, which takes one or two disk flushes (milliseconds to tens of
// milliseconds); SQLite's automatic checkpoint runs it inside the commit that crossed the
// threshold, so that one batch -- and every event waiting behind it -- is late by that much.
// Instead, the writer's connection reports the WAL's size after each commit (its WAL hook,
// which replaces the automatic checkpoint), and past `threshold_pages` this class's thread
// runs a PASSIVE checkpoint over its own connection: PASSIVE never waits for and never blocks
// the writer, so commits stay as fast as writing to the WAL. Should the thread fall far
// behind (the WAL past `backstop_pages`), the writer checkpoints itself, as SQLite would.
//
// Only for WAL databases on a file. Durability is unchanged: a commit is as durable as the
// `synchronous` setting makes it, whichever connection checkpoints later.

#include "sinks/sqlite_handles.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace mdp::sinks {

class SqliteCheckpointer {
   public:
    static constexpr int kThresholdPages = 1000;  // SQLite's own wal_autocheckpoint default
    static constexpr int kBackstopPages = 10 * kThresholdPages;

    // Opens a second connection to `writer`'s database (throws SqliteError), installs the
    // WAL hook on `writer` and starts the thread. `writer` must outlive this object.
    explicit SqliteCheckpointer(SqliteDatabase& writer, int threshold_pages = kThresholdPages,
                                int backstop_pages = kBackstopPages);
    // Removes the hook, stops and joins the thread (waiting for a running checkpoint).
    ~SqliteCheckpointer();
    SqliteCheckpointer(const SqliteCheckpointer&) = delete;
    SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;

    // [any thread] Checkpoints completed by the thread / by the writer as a backstop.
    [[nodiscard]] std::uint64_t background_checkpoints() const { return background_checkpoints_.load(); }
    [[nodiscard]] std::uint64_t writer_checkpoints() const { return writer_checkpoints_.load(); }

   private:
    // [writer thread] Called by SQLite after each commit with the WAL's size in pages.
    static int on_commit(void* self, struct sqlite3* connection, const char* database_name, int wal_pages);
    void run();

    SqliteDatabase& writer_;
    SqliteDatabase own_;
    const int threshold_pages_;
    const int backstop_pages_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool requested_ = false;
    bool stopping_ = false;
    bool warned_ = false;  // a failing checkpoint is logged once, not at every commit
    std::atomic<std::uint64_t> background_checkpoints_{0};
    std::atomic<std::uint64_t> writer_checkpoints_{0};
    std::thread thread_;
};

}  // namespace mdp::sinks
