#pragma once
// The postgres sink's tables and the SQL it runs against them (docs/sinks.md documents the
// schema; deploy/sql/mdp_postgres_schema.sql is the same schema for DBAs who create it
// themselves — keep the two in step, tests/postgres compares them).
//
// quotes, trades: one row per event; UNIQUE (provider, run_id, seq, ts) makes a retried
//   batch detectable (ts, the event time, is part of the key only so the key also works
//   on TimescaleDB hypertables, whose unique keys must contain the time column).
// bars_ohlcv: the previous store's table, keyed on (provider, symbol, "interval", ts),
//   plus vwap, trade_count and the event identity; bars are upserted on that key.

#include <cstdint>
#include <string>

namespace mdp::sinks::postgres_schema {

enum class Table { quotes, trades, bars };

// The table's name ("quotes", "trades", "bars_ohlcv").
[[nodiscard]] std::string table_name(Table table);
// Number of columns COPY writes, in the order the encoder must follow (see the .cpp).
[[nodiscard]] std::uint16_t column_count(Table table);

// `"name"` with embedded quotes doubled, for identifiers from the config.
[[nodiscard]] std::string quote_identifier(const std::string& name);

// CREATE SCHEMA/TABLE/INDEX IF NOT EXISTS for everything, in `schema` (quoted already).
[[nodiscard]] std::string create_tables_sql(const std::string& schema);
// SELECT create_hypertable(...) for each table (TimescaleDB installed in the database).
[[nodiscard]] std::string create_hypertables_sql(const std::string& schema);
// Per-session staging tables for the duplicate-safe path (emptied at every commit).
[[nodiscard]] std::string create_staging_tables_sql(const std::string& schema);

// COPY <schema>.<table> (columns) FROM STDIN (FORMAT binary).
[[nodiscard]] std::string copy_into_table_sql(const std::string& schema, Table table);
// COPY into the table's staging table.
[[nodiscard]] std::string copy_into_staging_sql(Table table);
// Moves the staging rows into the table: quotes/trades skip rows already stored, bars are
// upserted (the last bar per key in the batch wins).
[[nodiscard]] std::string merge_from_staging_sql(const std::string& schema, Table table);

}  // namespace mdp::sinks::postgres_schema
