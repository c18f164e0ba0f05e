#pragma once
// The `sqlite` sink, the embedded default. One connection, one transaction per batch
// (BEGIN IMMEDIATE ... COMMIT), prepared statements reused across batches. Writes are
// idempotent (see sqlite_schema.hpp), so the coordinator may retry any failed batch.
// A lock held by another process past busy_timeout_ms rolls the batch back and throws
// SinkError("database is locked: ..."); the next write simply tries again.
//
// Keys: path (required; relative to the config file's directory; parents are created),
// journal_mode (WAL), synchronous (NORMAL), busy_timeout_ms (1000).

#include "config/host_config.hpp"
#include "config/json_node.hpp"
#include "sinks/sink.hpp"
#include "sinks/sink_type.hpp"
#include "sinks/sink_base.hpp"
#include "sinks/sqlite/sqlite_handles.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace mdp::sinks {

struct SqliteSinkOptions {
    std::filesystem::path path;
    std::string journal_mode = "WAL";
    std::string synchronous = "NORMAL";
    std::int64_t busy_timeout_ms = 1000;
};

// Reads and validates the sqlite keys of `node`. Throws ConfigError naming the JSON path.
SqliteSinkOptions read_sqlite_sink_options(config::JsonNode& node, const config::RawSection& settings);

class SqliteSink final : public SinkBase {
   public:
    SqliteSink(std::string name, SqliteSinkOptions options);
    ~SqliteSink() override;

    void open(const SinkContext& context) override;
    void write(std::span<const pipeline::StoreEvent> batch) override;
    void close() override;
    [[nodiscard]] std::string destination() const override;

   private:
    // The open connection and its prepared statements (destroyed together, statements first).
    struct Connection;

    struct BatchRows {
        std::uint64_t quotes = 0;
        std::uint64_t trades = 0;
        std::uint64_t bars = 0;
    };

    BatchRows write_rows(std::span<const pipeline::StoreEvent> batch);
    void record_failure(const SqliteError& error);

    SqliteSinkOptions options_;
    SinkContext context_;
    std::unique_ptr<Connection> connection_;
};

// The "sqlite" entry of the sink registry (sinks/sink_registry.cpp): reads the keys with
// read_sqlite_sink_options() and builds a SqliteSink.
std::unique_ptr<Sink> create_sqlite_sink(const config::SinkConfig& config, config::JsonNode& node);
inline constexpr SinkType kSqliteSinkType{"sqlite", "sinks.md#sqlite-the-default", &create_sqlite_sink};

}  // namespace mdp::sinks
