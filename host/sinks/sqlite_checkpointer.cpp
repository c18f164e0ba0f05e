#include "sinks/sqlite_checkpointer.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

namespace mdp::sinks {

namespace {

// The thread's connection only checkpoints; PASSIVE never calls the busy handler, so the
// timeout only matters while opening.
constexpr std::int64_t kOwnBusyTimeoutMs = 1000;

}  // namespace

SqliteCheckpointer::SqliteCheckpointer(SqliteDatabase& writer, int threshold_pages, int backstop_pages)
    : writer_(writer), own_(writer.path(), kOwnBusyTimeoutMs), threshold_pages_(threshold_pages),
      backstop_pages_(backstop_pages) {
    sqlite3_wal_hook(writer_.handle(), &SqliteCheckpointer::on_commit, this);
    thread_ = std::thread([this] { run(); });
}

SqliteCheckpointer::~SqliteCheckpointer() {
    sqlite3_wal_hook(writer_.handle(), nullptr, nullptr);
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

int SqliteCheckpointer::on_commit(void* self, sqlite3* connection, const char* database_name, int wal_pages) {
    auto& checkpointer = *static_cast<SqliteCheckpointer*>(self);
    if (wal_pages >= checkpointer.backstop_pages_) {
        // The thread has fallen far behind (or keeps failing): do what SQLite's automatic
        // checkpoint would have done, in this commit.
        if (sqlite3_wal_checkpoint_v2(connection, database_name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) ==
            SQLITE_OK) {
            checkpointer.writer_checkpoints_.fetch_add(1, std::memory_order_relaxed);
        }
        return SQLITE_OK;
    }
    if (wal_pages >= checkpointer.threshold_pages_) {
        {
            std::lock_guard lock(checkpointer.mutex_);
            checkpointer.requested_ = true;
        }
        checkpointer.wake_.notify_one();
    }
    return SQLITE_OK;  // a hook's error would be reported as the commit's
}

void SqliteCheckpointer::run() {
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return requested_ || stopping_; });
        if (stopping_) {
            return;
        }
        requested_ = false;
        lock.unlock();
        const int code = sqlite3_wal_checkpoint_v2(own_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        lock.lock();
        if (code == SQLITE_OK) {
            background_checkpoints_.fetch_add(1, std::memory_order_relaxed);
            warned_ = false;
        } else if ((code & 0xFF) != SQLITE_BUSY && !warned_) {
            // BUSY: another checkpoint (the writer's backstop) is running; the next request
            // tries again. Anything else is worth one line until it works again.
            warned_ = true;
            spdlog::warn("sqlite sink {}: background checkpoint failed: {}; the writer checkpoints at {} pages",
                         own_.path(), sqlite3_errstr(code), backstop_pages_);
        }
    }
}

}  // namespace mdp::sinks
