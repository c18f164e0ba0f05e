#pragma once
// The `postgres` sink (libpq). Each batch is written in one transaction with binary COPY:
// quotes and trades straight into their tables, bars through a staging table and an upsert
// on their natural key. Writes are idempotent: when a batch's rows are already there (the
// batch is a retry after a failure whose outcome was unknown, e.g. the connection broke
// around COMMIT) the unique key (provider, run_id, seq, ts) turns the fast COPY into a
// unique violation, and the batch is written again through staging tables with
// ON CONFLICT DO NOTHING, so no event is ever stored twice.
//
// Failures: each write() makes one attempt (on a new connection when the previous one broke)
// and throws SinkError when it fails; the store coordinator keeps the batch and owns the
// retries and their backoff (store.retry_*_backoff_ms). After circuit_failure_threshold
// consecutive failed writes the circuit opens: write() throws at once, without touching the
// database, until circuit_cooldown_ms passed; then one write is let through (half-open) and
// its outcome closes or reopens it.
//
// Keys: see read_postgres_sink_options() and docs/sinks.md.

#include "config/host_config.hpp"
#include "config/json_node.hpp"
#include "sinks/circuit_breaker.hpp"
#include "sinks/postgres/postgres_connection.hpp"
#include "sinks/postgres/postgres_copy_encoder.hpp"
#include "sinks/postgres/postgres_schema.hpp"
#include "sinks/sink.hpp"
#include "sinks/sink_type.hpp"
#include "sinks/sink_base.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace mdp::sinks {

struct PostgresSinkOptions {
    PostgresConnectionSettings connection;
    std::string schema = "public";
    bool create_schema = true;  // create missing tables at open(); else require them
    bool use_timescaledb = true;  // hypertables when the extension is available ("auto")
    std::uint32_t circuit_failure_threshold = 5;
    std::chrono::milliseconds circuit_cooldown{5000};
    // Events per transaction this sink asks the coordinator for under backlog: each commit
    // waits for a WAL flush on a durable server, so fewer, larger transactions catch up faster.
    std::size_t preferred_batch_size = 5000;
};

// Reads and validates the postgres keys of `node`. Throws ConfigError naming the JSON path.
// The retired keys retry_attempts, retry_initial_backoff_ms and retry_max_backoff_ms are still
// validated and accepted, so existing configs load; each one present logs a notice that it is
// ignored.
PostgresSinkOptions read_postgres_sink_options(config::JsonNode& node);

// Which path a write attempt takes (see the header comment).
enum class PostgresWritePath { direct_copy, staged_merge };

class PostgresSink final : public SinkBase {
   public:
    PostgresSink(std::string name, PostgresSinkOptions options);
    ~PostgresSink() override;

    // Connects, creates (or checks) the schema. Throws SinkError naming what failed: a bad
    // host, a bad password, a missing database, missing tables.
    void open(const SinkContext& context) override;
    void write(std::span<const pipeline::StoreEvent> batch) override;
    void close() override;
    // rows_by_table: quotes, trades, bars_ohlcv (rows inserted or upserted); errors_by_kind:
    // see postgres_error_kind_name() plus "circuit_open"; circuit_state.
    [[nodiscard]] std::string destination() const override;
    [[nodiscard]] std::size_t preferred_batch_size() const override { return options_.preferred_batch_size; }

    // [coordinator thread] The breaker, for tests and diagnostics.
    [[nodiscard]] CircuitBreaker::State circuit_state() const { return breaker_.state(); }
    // [coordinator thread] Path the last successful write took.
    [[nodiscard]] PostgresWritePath last_write_path() const { return last_write_path_; }

   private:
    struct BatchRows {
        std::uint64_t quotes = 0;
        std::uint64_t trades = 0;
        std::uint64_t bars = 0;
    };

    void connect();
    void prepare_schema();
    void require_tables();
    void write_attempt();
    BatchRows write_transaction(PostgresWritePath path);
    // `opens_transaction`: this is the first statement of the batch, so it starts with BEGIN
    // (sent in the same round trip as the COPY).
    std::uint64_t write_table(postgres_schema::Table table, PostgresWritePath path, bool opens_transaction);
    [[nodiscard]] const PostgresCopyEncoder& encoder_for(postgres_schema::Table table) const;
    void encode_batch(std::span<const pipeline::StoreEvent> batch);
    void abandon_transaction() noexcept;
    void publish_circuit_state();

    PostgresSinkOptions options_;
    std::string schema_;  // quoted identifier
    SinkContext context_;
    std::unique_ptr<PostgresConnection> connection_;
    CircuitBreaker breaker_;
    // The previous attempt failed at COMMIT with an unknown outcome: the batch may be stored.
    bool outcome_unknown_ = false;
    PostgresWritePath last_write_path_ = PostgresWritePath::direct_copy;
    std::string last_error_;
    PostgresCopyEncoder quotes_;
    PostgresCopyEncoder trades_;
    PostgresCopyEncoder bars_;
};

// The "postgres" entry of the sink registry (sinks/sink_registry.cpp): reads the keys with
// read_postgres_sink_options() and builds a PostgresSink.
std::unique_ptr<Sink> create_postgres_sink(const config::SinkConfig& config, config::JsonNode& node);
inline constexpr SinkType kPostgresSinkType{"postgres", "sinks.md#postgres", &create_postgres_sink};

}  // namespace mdp::sinks
