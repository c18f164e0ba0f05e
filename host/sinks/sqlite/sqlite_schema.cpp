#include "sinks/sqlite/sqlite_schema.hpp"

namespace mdp::sinks::sqlite_schema {

std::string_view create_tables_sql() {
    return R"sql(
CREATE TABLE IF NOT EXISTS quotes (
    provider        TEXT    NOT NULL,
    run_id          TEXT    NOT NULL,
    seq             INTEGER NOT NULL,
    symbol          TEXT    NOT NULL,
    event_time_ns   INTEGER NOT NULL,
    receive_time_ns INTEGER NOT NULL,
    delayed         INTEGER NOT NULL,
    snapshot        INTEGER NOT NULL,
    bid             REAL,
    ask             REAL,
    bid_size        REAL,
    ask_size        REAL,
    last            REAL,
    UNIQUE (provider, run_id, seq)
);
CREATE INDEX IF NOT EXISTS quotes_symbol_time ON quotes (symbol, event_time_ns);

CREATE TABLE IF NOT EXISTS trades (
    provider        TEXT    NOT NULL,
    run_id          TEXT    NOT NULL,
    seq             INTEGER NOT NULL,
    symbol          TEXT    NOT NULL,
    event_time_ns   INTEGER NOT NULL,
    receive_time_ns INTEGER NOT NULL,
    delayed         INTEGER NOT NULL,
    snapshot        INTEGER NOT NULL,
    price           REAL,
    size            REAL,
    exchange        TEXT    NOT NULL,
    conditions      TEXT    NOT NULL,
    UNIQUE (provider, run_id, seq)
);
CREATE INDEX IF NOT EXISTS trades_symbol_time ON trades (symbol, event_time_ns);

CREATE TABLE IF NOT EXISTS bars (
    provider        TEXT    NOT NULL,
    symbol          TEXT    NOT NULL,
    interval_ns     INTEGER NOT NULL,
    ts              INTEGER NOT NULL,
    open            REAL,
    high            REAL,
    low             REAL,
    close           REAL,
    volume          REAL,
    vwap            REAL,
    trade_count     INTEGER NOT NULL,
    run_id          TEXT    NOT NULL,
    seq             INTEGER NOT NULL,
    receive_time_ns INTEGER NOT NULL,
    delayed         INTEGER NOT NULL,
    snapshot        INTEGER NOT NULL,
    PRIMARY KEY (provider, symbol, interval_ns, ts)
);
)sql";
}

// ?1 provider ?2 run_id ?3 seq ?4 symbol ?5 event_time_ns ?6 receive_time_ns ?7 delayed
// ?8 snapshot ?9 bid ?10 ask ?11 bid_size ?12 ask_size ?13 last
std::string_view insert_quote_sql() {
    return "INSERT OR IGNORE INTO quotes (provider, run_id, seq, symbol, event_time_ns, receive_time_ns, "
           "delayed, snapshot, bid, ask, bid_size, ask_size, last) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
}

// ?1..?8 as for quotes, then ?9 price ?10 size ?11 exchange ?12 conditions
std::string_view insert_trade_sql() {
    return "INSERT OR IGNORE INTO trades (provider, run_id, seq, symbol, event_time_ns, receive_time_ns, "
           "delayed, snapshot, price, size, exchange, conditions) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
}

// ?1..?8 as for quotes (?5 event_time_ns is the bar's start, stored as ts), then
// ?9 interval_ns ?10 open ?11 high ?12 low ?13 close ?14 volume ?15 vwap ?16 trade_count
std::string_view upsert_bar_sql() {
    return "INSERT INTO bars (provider, run_id, seq, symbol, ts, receive_time_ns, delayed, snapshot, "
           "interval_ns, open, high, low, close, volume, vwap, trade_count) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) "
           "ON CONFLICT (provider, symbol, interval_ns, ts) DO UPDATE SET "
           "open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, "
           "volume = excluded.volume, vwap = excluded.vwap, trade_count = excluded.trade_count, "
           "run_id = excluded.run_id, seq = excluded.seq, receive_time_ns = excluded.receive_time_ns, "
           "delayed = excluded.delayed, snapshot = excluded.snapshot";
}

}  // namespace mdp::sinks::sqlite_schema
