#pragma once
// The sqlite sink's tables (docs/sinks.md documents them): created if missing, never altered.
//
// quotes / trades: one row per event, UNIQUE (provider, run_id, seq) so a retried batch is
//   ignored row by row (INSERT OR IGNORE).
// bars: one row per bar, PRIMARY KEY (provider, symbol, interval_ns, ts) — the natural key —
//   and a later bar with the same key replaces the earlier one (upsert).
// Times are INTEGER nanoseconds since the epoch (UTC); unknown prices/sizes are NULL;
// delayed/snapshot are 0/1.

#include <string_view>

namespace mdp::sinks::sqlite_schema {

// CREATE TABLE/INDEX IF NOT EXISTS for all tables, as one script.
[[nodiscard]] std::string_view create_tables_sql();

// Parameterised row writers; parameter order is documented beside each in the .cpp.
[[nodiscard]] std::string_view insert_quote_sql();
[[nodiscard]] std::string_view insert_trade_sql();
[[nodiscard]] std::string_view upsert_bar_sql();

}  // namespace mdp::sinks::sqlite_schema
