#include "sinks/sqlite/sqlite_sink.hpp"

#include "sinks/event_fields.hpp"
#include "sinks/sink_path.hpp"
#include "sinks/sqlite/sqlite_schema.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <optional>

namespace mdp::sinks {

namespace {

bool equal_ignoring_case(const std::string& left, const std::string& right) {
    return std::equal(left.begin(), left.end(), right.begin(), right.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
}

void configure_database(SqliteDatabase& database, const SqliteSinkOptions& options) {
    // journal_mode answers with the mode in effect, which can differ from the one asked for
    // (e.g. WAL is refused for :memory:), so say so when it does.
    const std::string mode =
        database.query_text("PRAGMA journal_mode = " + options.journal_mode, "setting journal_mode");
    if (!mode.empty() && !equal_ignoring_case(mode, options.journal_mode)) {
        spdlog::warn("sqlite sink {}: journal_mode {} requested, database uses {}", database.path(),
                     options.journal_mode, mode);
    }
    database.execute("PRAGMA synchronous = " + options.synchronous, "setting synchronous");
    database.execute(sqlite_schema::create_tables_sql(), "creating tables");
}

}  // namespace

struct SqliteSink::Connection {
    SqliteDatabase database;
    // Declared after `database`, so destroyed before it.
    std::optional<SqliteStatement> insert_quote;
    std::optional<SqliteStatement> insert_trade;
    std::optional<SqliteStatement> upsert_bar;

    // Opens, applies the pragmas, creates the schema and prepares the statements.
    explicit Connection(const SqliteSinkOptions& options) : database(options.path.string(), options.busy_timeout_ms) {
        configure_database(database, options);
        insert_quote.emplace(database, std::string(sqlite_schema::insert_quote_sql()));
        insert_trade.emplace(database, std::string(sqlite_schema::insert_trade_sql()));
        upsert_bar.emplace(database, std::string(sqlite_schema::upsert_bar_sql()));
    }
};

SqliteSinkOptions read_sqlite_sink_options(config::JsonNode& node, const config::RawSection& settings) {
    SqliteSinkOptions options;
    const std::string path = node.get_string("path");
    if (path.empty()) {
        node.fail_at("path", "expected a database file path, found an empty string");
    }
    options.path = resolve_sink_path(settings, path);
    options.journal_mode =
        node.get_enum("journal_mode", {"WAL", "DELETE", "TRUNCATE", "PERSIST", "MEMORY", "OFF"}, std::string("WAL"));
    options.synchronous = node.get_enum("synchronous", {"OFF", "NORMAL", "FULL", "EXTRA"}, std::string("NORMAL"));
    options.busy_timeout_ms = node.get_int("busy_timeout_ms", 0, 3'600'000, 1000);
    return options;
}

SqliteSink::SqliteSink(std::string name, SqliteSinkOptions options)
    : SinkBase(std::move(name), std::string(kSqliteSinkType.name)), options_(std::move(options)) {}

SqliteSink::~SqliteSink() = default;

std::string SqliteSink::destination() const {
    if (options_.path == ":memory:") {
        return "in-memory database";
    }
    return std::filesystem::absolute(options_.path).lexically_normal().string();
}

void SqliteSink::open(const SinkContext& context) {
    context_ = context;
    if (connection_) {
        return;
    }
    if (options_.path != ":memory:") {
        create_parent_directories(options_.path);
    }
    try {
        connection_ = std::make_unique<Connection>(options_);
    } catch (const SqliteError& error) {
        record_failure(error);
        throw;
    }
}

void SqliteSink::write(std::span<const pipeline::StoreEvent> batch) {
    if (!connection_) {
        open(context_);  // a failed open() is retried here, so a locked start recovers too
    }
    SqliteDatabase& database = connection_->database;
    BatchRows rows;
    try {
        // IMMEDIATE takes the write lock up front: a conflict surfaces here (after
        // busy_timeout_ms), before any row is written.
        database.execute("BEGIN IMMEDIATE", "starting a transaction");
        rows = write_rows(batch);
        database.execute("COMMIT", "committing");
    } catch (const SqliteError& error) {
        if (database.in_transaction()) {
            try {
                database.execute("ROLLBACK", "rolling back");
            } catch (const SqliteError&) {
                // Nothing more to do: SQLite rolls back by itself when the connection closes,
                // and the next BEGIN fails loudly if the transaction is somehow still open.
            }
        }
        record_failure(error);
        throw;
    }
    stats_recorder().add_rows("quotes", rows.quotes);
    stats_recorder().add_rows("trades", rows.trades);
    stats_recorder().add_rows("bars", rows.bars);
}

SqliteSink::BatchRows SqliteSink::write_rows(std::span<const pipeline::StoreEvent> batch) {
    BatchRows rows;
    for (const auto& record : batch) {
        const mdp_event_t& event = record.event;
        const common::EventType type = stored_type(record);
        SqliteStatement* statement = nullptr;
        switch (type) {
            case common::EventType::quote:
                statement = &*connection_->insert_quote;
                break;
            case common::EventType::trade:
                statement = &*connection_->insert_trade;
                break;
            case common::EventType::bar:
                statement = &*connection_->upsert_bar;
                break;
        }
        const StoredIdentity identity = stored_identity(context_, record);
        statement->bind_text(1, identity.provider);
        statement->bind_text(2, identity.run_id);
        statement->bind_int(3, static_cast<std::int64_t>(identity.sequence));
        statement->bind_text(4, fixed_text(event.symbol));
        statement->bind_int(5, event.event_time_ns);
        statement->bind_int(6, event.receive_time_ns);
        statement->bind_int(7, is_delayed(event) ? 1 : 0);
        statement->bind_int(8, is_snapshot(event) ? 1 : 0);
        if (type == common::EventType::quote) {
            const mdp_quote_t& quote = event.body.quote;
            statement->bind_real_or_null(9, quote.bid);
            statement->bind_real_or_null(10, quote.ask);
            statement->bind_real_or_null(11, quote.bid_size);
            statement->bind_real_or_null(12, quote.ask_size);
            statement->bind_real_or_null(13, quote.last);
            rows.quotes += static_cast<std::uint64_t>(statement->execute());
        } else if (type == common::EventType::trade) {
            const mdp_trade_t& trade = event.body.trade;
            statement->bind_real_or_null(9, trade.price);
            statement->bind_real_or_null(10, trade.size);
            statement->bind_text(11, fixed_text(trade.exchange));
            statement->bind_text(12, fixed_text(trade.conditions));
            rows.trades += static_cast<std::uint64_t>(statement->execute());
        } else {
            const mdp_bar_t& bar = event.body.bar;
            statement->bind_int(9, bar.interval_ns);
            statement->bind_real_or_null(10, bar.open);
            statement->bind_real_or_null(11, bar.high);
            statement->bind_real_or_null(12, bar.low);
            statement->bind_real_or_null(13, bar.close);
            statement->bind_real_or_null(14, bar.volume);
            statement->bind_real_or_null(15, bar.vwap);
            statement->bind_int(16, bar.trade_count);
            rows.bars += static_cast<std::uint64_t>(statement->execute());
        }
    }
    return rows;
}

void SqliteSink::record_failure(const SqliteError& error) {
    stats_recorder().add_error(error.is_lock_conflict() ? "locked" : "sqlite");
}

void SqliteSink::close() { connection_.reset(); }

std::unique_ptr<Sink> create_sqlite_sink(const config::SinkConfig& config, config::JsonNode& node) {
    return std::make_unique<SqliteSink>(config.name, read_sqlite_sink_options(node, config.settings));
}

}  // namespace mdp::sinks
