#include "sinks/postgres/postgres_sink.hpp"

#include "sinks/event_fields.hpp"

#include <spdlog/spdlog.h>

namespace mdp::sinks {

using postgres_schema::Table;

namespace {

// Serialises schema creation between hosts starting at once against one database
// (concurrent CREATE ... IF NOT EXISTS can still collide on the catalog).
constexpr const char* kSchemaLockSql = "SELECT pg_advisory_xact_lock(7271372018)";

bool timescaledb_available(PostgresConnection& connection) {
    return connection
        .query_value("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'", "looking for TimescaleDB")
        .has_value();
}

// The sink once retried inside write() with these keys; the store coordinator owns retries
// now (one layer, one backoff, one metric). Values are still range-checked as before, so a
// config that loaded keeps loading and a bad value still names its path.
void accept_retired_retry_keys(config::JsonNode& node) {
    struct RetiredKey {
        const char* key;
        std::int64_t min;
        std::int64_t max;
    };
    for (const RetiredKey retired :
         {RetiredKey{"retry_attempts", 1, 100}, RetiredKey{"retry_initial_backoff_ms", 1, 60'000},
          RetiredKey{"retry_max_backoff_ms", 1, 600'000}}) {
        const bool present = node.has(retired.key);
        static_cast<void>(node.get_int(retired.key, retired.min, retired.max, retired.min));  // checks, marks read
        if (!present) {
            continue;
        }
        spdlog::warn(
            "{}.{} is deprecated and ignored: a postgres sink makes one attempt per write and the store "
            "coordinator retries the batch (store.retry_initial_backoff_ms, store.retry_max_backoff_ms)",
            node.path(), retired.key);
    }
}

}  // namespace

PostgresSinkOptions read_postgres_sink_options(config::JsonNode& node) {
    PostgresSinkOptions options;
    options.connection.conninfo = node.get_string("conninfo", std::string());
    try {
        validate_conninfo(options.connection.conninfo);
    } catch (const PostgresError& error) {
        node.fail_at("conninfo", error.what());
    }
    options.connection.connect_timeout_seconds = node.get_int("connect_timeout_seconds", 1, 600, 5);
    options.connection.statement_timeout_ms = node.get_int("statement_timeout_ms", 100, 3'600'000, 30'000);
    options.connection.application_name = node.get_string("application_name", std::string("mdp-host"));
    options.schema = node.get_string("schema", std::string("public"));
    if (options.schema.empty()) {
        node.fail_at("schema", "expected a schema name, found an empty string");
    }
    options.create_schema = node.get_bool("create_schema", true);
    options.use_timescaledb = node.get_enum("timescaledb", {"auto", "off"}, std::string("auto")) == "auto";
    accept_retired_retry_keys(node);
    options.circuit_failure_threshold =
        static_cast<std::uint32_t>(node.get_int("circuit_failure_threshold", 1, 1'000'000, 5));
    options.circuit_cooldown = std::chrono::milliseconds(node.get_int("circuit_cooldown_ms", 0, 3'600'000, 5000));
    options.preferred_batch_size = static_cast<std::size_t>(
        node.get_int("preferred_batch_size", 1, 1'000'000, static_cast<std::int64_t>(options.preferred_batch_size)));
    return options;
}

PostgresSink::PostgresSink(std::string name, PostgresSinkOptions options)
    : SinkBase(std::move(name), std::string(kPostgresSinkType.name)), options_(std::move(options)),
      schema_(postgres_schema::quote_identifier(options_.schema)),
      breaker_(options_.circuit_failure_threshold, options_.circuit_cooldown) {
    publish_circuit_state();
}

PostgresSink::~PostgresSink() = default;

std::string PostgresSink::destination() const {
    return "PostgreSQL " + describe_conninfo_target(options_.connection.conninfo) + ", schema " + options_.schema;
}

void PostgresSink::open(const SinkContext& context) {
    context_ = context;
    try {
        connect();
        if (options_.create_schema) {
            prepare_schema();
        } else {
            require_tables();
        }
        connection_->execute(postgres_schema::create_staging_tables_sql(schema_), "creating staging tables");
    } catch (const PostgresError& error) {
        stats_recorder().add_error(postgres_error_kind_name(error.kind()));
        connection_.reset();
        throw;
    }
}

void PostgresSink::connect() {
    connection_.reset();
    connection_ = std::make_unique<PostgresConnection>(options_.connection);
}

void PostgresSink::prepare_schema() {
    PostgresConnection& connection = *connection_;
    connection.execute("BEGIN", "starting schema creation");
    try {
        connection.execute(kSchemaLockSql, "locking schema creation");
        connection.execute(postgres_schema::create_tables_sql(schema_), "creating tables");
        connection.execute("COMMIT", "committing schema creation");
    } catch (const PostgresError&) {
        abandon_transaction();
        throw;
    }
    if (!options_.use_timescaledb || !timescaledb_available(connection)) {
        return;
    }
    // Hypertables are an optimisation: without the extension's privileges or preload, the
    // plain tables with their indexes work the same, so failing here only warns.
    try {
        connection.execute("CREATE EXTENSION IF NOT EXISTS timescaledb", "creating the TimescaleDB extension");
        connection.execute(postgres_schema::create_hypertables_sql(schema_), "creating hypertables");
        spdlog::info("postgres sink {}: tables are TimescaleDB hypertables", name());
    } catch (const PostgresError& error) {
        spdlog::warn(
            "postgres sink {}: TimescaleDB is available but hypertables could not be created, "
            "using plain tables: {}",
            name(), error.what());
        abandon_transaction();
    }
}

void PostgresSink::require_tables() {
    for (const Table table : {Table::quotes, Table::trades, Table::bars}) {
        const std::string qualified = schema_ + "." + postgres_schema::table_name(table);
        std::string literal;
        for (const char character : qualified) {
            literal += character;
            if (character == '\'') {
                literal += '\'';
            }
        }
        if (!connection_->query_value("SELECT to_regclass('" + literal + "')::text", "looking for tables")) {
            throw PostgresError(PostgresErrorKind::schema,
                                "table " + qualified +
                                    " does not exist and create_schema is false; create it with "
                                    "deploy/sql/mdp_postgres_schema.sql or set create_schema to true");
        }
    }
}

void PostgresSink::write(std::span<const pipeline::StoreEvent> batch) {
    if (!breaker_.allow_attempt(CircuitBreaker::Clock::now())) {
        stats_recorder().add_error("circuit_open");
        const auto remaining = breaker_.remaining_cooldown(CircuitBreaker::Clock::now());
        throw SinkError("circuit breaker open after " + std::to_string(breaker_.consecutive_failures()) +
                        " consecutive failed writes; next attempt in " + std::to_string(remaining.count()) +
                        " ms; last error: " + last_error_);
    }
    publish_circuit_state();
    encode_batch(batch);
    try {
        write_attempt();
    } catch (const PostgresError& error) {
        stats_recorder().add_error(postgres_error_kind_name(error.kind()));
        last_error_ = error.what();
        if (connection_ && !connection_->usable()) {
            connection_.reset();  // the next write() connects again
        }
        breaker_.record_failure(CircuitBreaker::Clock::now());
        publish_circuit_state();
        throw;
    }
    breaker_.record_success();
    publish_circuit_state();
}

void PostgresSink::write_attempt() {
    if (!connection_) {
        connect();
        connection_->execute(postgres_schema::create_staging_tables_sql(schema_), "creating staging tables");
    }
    PostgresWritePath path = outcome_unknown_ ? PostgresWritePath::staged_merge : PostgresWritePath::direct_copy;
    BatchRows rows;
    try {
        rows = write_transaction(path);
    } catch (const PostgresError& error) {
        if (error.kind() != PostgresErrorKind::duplicate || path == PostgresWritePath::staged_merge) {
            throw;
        }
        // Some rows of this batch are stored already (a retry after an unknown outcome, or a
        // replay): write it again skipping them. Not a failure, so no backoff.
        stats_recorder().add_error(postgres_error_kind_name(PostgresErrorKind::duplicate));
        spdlog::info("postgres sink {}: batch partly stored already, writing the rest", name());
        path = PostgresWritePath::staged_merge;
        rows = write_transaction(path);
    }
    outcome_unknown_ = false;
    last_write_path_ = path;
    stats_recorder().add_rows(postgres_schema::table_name(Table::quotes), rows.quotes);
    stats_recorder().add_rows(postgres_schema::table_name(Table::trades), rows.trades);
    stats_recorder().add_rows(postgres_schema::table_name(Table::bars), rows.bars);
}

PostgresSink::BatchRows PostgresSink::write_transaction(PostgresWritePath path) {
    BatchRows rows;
    if (quotes_.rows() + trades_.rows() + bars_.rows() == 0) {
        return rows;  // an empty batch: no transaction needed
    }
    // Round trips are what a batch costs beyond the data itself: BEGIN travels with the
    // first COPY, and COMMIT is sent on its own so that a lost answer is known to be the
    // commit's (the only step whose outcome can be unknown).
    bool transaction_open = false;
    const auto write = [&](Table table) {
        const std::uint64_t written = write_table(table, path, !transaction_open);
        transaction_open = transaction_open || encoder_for(table).rows() > 0;
        return written;
    };
    try {
        rows.quotes = write(Table::quotes);
        rows.trades = write(Table::trades);
        rows.bars = write(Table::bars);
    } catch (const PostgresError&) {
        abandon_transaction();
        throw;
    }
    try {
        connection_->execute("COMMIT", "committing");
    } catch (const PostgresError& error) {
        // A COMMIT that got no answer may or may not have committed.
        if (error.kind() == PostgresErrorKind::connection_lost) {
            outcome_unknown_ = true;
        }
        abandon_transaction();
        throw;
    }
    return rows;
}

const PostgresCopyEncoder& PostgresSink::encoder_for(Table table) const {
    switch (table) {
        case Table::quotes:
            return quotes_;
        case Table::trades:
            return trades_;
        case Table::bars:
            return bars_;
    }
    return quotes_;
}

std::uint64_t PostgresSink::write_table(Table table, PostgresWritePath path, bool opens_transaction) {
    const PostgresCopyEncoder& encoder = encoder_for(table);
    if (encoder.rows() == 0) {
        return 0;
    }
    const std::string begin = opens_transaction ? "BEGIN; " : "";
    const std::string what = "writing " + postgres_schema::table_name(table);
    // Bars always go through staging: the upsert must replace bars stored before.
    if (path == PostgresWritePath::direct_copy && table != Table::bars) {
        return connection_->copy_in(begin + postgres_schema::copy_into_table_sql(schema_, table), encoder.buffer(),
                                    what);
    }
    connection_->copy_in(begin + postgres_schema::copy_into_staging_sql(table), encoder.buffer(), what);
    return connection_->execute(postgres_schema::merge_from_staging_sql(schema_, table), what);
}

void PostgresSink::encode_batch(std::span<const pipeline::StoreEvent> batch) {
    quotes_.begin();
    trades_.begin();
    bars_.begin();
    for (const auto& record : batch) {
        const mdp_event_t& event = record.event;
        const StoredIdentity identity = stored_identity(context_, record);
        const std::string_view provider = identity.provider;
        const std::string_view run_id = identity.run_id;
        const auto sequence = static_cast<std::int64_t>(identity.sequence);
        const common::EventType type = stored_type(record);
        if (type != common::EventType::bar) {
            const bool quote = type == common::EventType::quote;
            PostgresCopyEncoder& encoder = quote ? quotes_ : trades_;
            encoder.begin_row(postgres_schema::column_count(quote ? Table::quotes : Table::trades));
            encoder.add_timestamptz_ns(event.event_time_ns);
            encoder.add_text(provider);
            encoder.add_text(run_id);
            encoder.add_int64(sequence);
            encoder.add_text(fixed_text(event.symbol));
            if (quote) {
                encoder.add_float8_or_null(event.body.quote.bid);
                encoder.add_float8_or_null(event.body.quote.ask);
                encoder.add_float8_or_null(event.body.quote.bid_size);
                encoder.add_float8_or_null(event.body.quote.ask_size);
                encoder.add_float8_or_null(event.body.quote.last);
            } else {
                encoder.add_float8_or_null(event.body.trade.price);
                encoder.add_float8_or_null(event.body.trade.size);
                encoder.add_text(fixed_text(event.body.trade.exchange));
                encoder.add_text(fixed_text(event.body.trade.conditions));
            }
            encoder.add_bool(is_delayed(event));
            encoder.add_bool(is_snapshot(event));
            encoder.add_int64(event.event_time_ns);
            encoder.add_int64(event.receive_time_ns);
        } else {
            const mdp_bar_t& bar = event.body.bar;
            bars_.begin_row(postgres_schema::column_count(Table::bars));
            bars_.add_text(provider);
            bars_.add_text(fixed_text(event.symbol));
            bars_.add_interval_ns(bar.interval_ns);
            bars_.add_timestamptz_ns(event.event_time_ns);
            bars_.add_float8_or_null(bar.open);
            bars_.add_float8_or_null(bar.high);
            bars_.add_float8_or_null(bar.low);
            bars_.add_float8_or_null(bar.close);
            bars_.add_float8_or_null(bar.volume);
            bars_.add_float8_or_null(bar.vwap);
            bars_.add_int64(bar.trade_count);
            bars_.add_int64(bar.interval_ns);
            bars_.add_text(run_id);
            bars_.add_int64(sequence);
            bars_.add_int64(event.receive_time_ns);
            bars_.add_bool(is_delayed(event));
            bars_.add_bool(is_snapshot(event));
        }
    }
    quotes_.finish();
    trades_.finish();
    bars_.finish();
}

void PostgresSink::abandon_transaction() noexcept {
    if (!connection_) {
        return;
    }
    if (!connection_->usable()) {
        connection_.reset();
        return;
    }
    if (!connection_->in_transaction()) {
        return;
    }
    try {
        connection_->execute("ROLLBACK", "rolling back");
    } catch (const PostgresError&) {
        connection_.reset();  // a fresh connection has no transaction to worry about
    }
}

void PostgresSink::publish_circuit_state() { stats_recorder().set_circuit_state(circuit_state_name(breaker_.state())); }

void PostgresSink::close() { connection_.reset(); }

std::unique_ptr<Sink> create_postgres_sink(const config::SinkConfig& config, config::JsonNode& node) {
    return std::make_unique<PostgresSink>(config.name, read_postgres_sink_options(node));
}

}  // namespace mdp::sinks
