#include "sinks/postgres/postgres_schema.hpp"

namespace mdp::sinks::postgres_schema {

namespace {

// Column lists in COPY order; PostgresSink encodes fields in exactly this order.
constexpr const char* kQuoteColumns =
    "ts, provider, run_id, seq, symbol, bid, ask, bid_size, ask_size, last, delayed, snapshot, event_time_ns, "
    "receive_time_ns";
constexpr std::uint16_t kQuoteColumnCount = 14;
constexpr const char* kTradeColumns =
    "ts, provider, run_id, seq, symbol, price, size, exchange, conditions, delayed, snapshot, event_time_ns, "
    "receive_time_ns";
constexpr std::uint16_t kTradeColumnCount = 13;
constexpr const char* kBarColumns =
    "provider, symbol, \"interval\", ts, open, high, low, close, volume, vwap, trade_count, interval_ns, run_id, "
    "seq, receive_time_ns, delayed, snapshot";
constexpr std::uint16_t kBarColumnCount = 17;

const char* columns(Table table) {
    switch (table) {
        case Table::quotes:
            return kQuoteColumns;
        case Table::trades:
            return kTradeColumns;
        case Table::bars:
            return kBarColumns;
    }
    return kQuoteColumns;
}

std::string staging_name(Table table) { return "mdp_staging_" + table_name(table); }

}  // namespace

std::string table_name(Table table) {
    switch (table) {
        case Table::quotes:
            return "quotes";
        case Table::trades:
            return "trades";
        case Table::bars:
            return "bars_ohlcv";
    }
    return "quotes";
}

std::uint16_t column_count(Table table) {
    switch (table) {
        case Table::quotes:
            return kQuoteColumnCount;
        case Table::trades:
            return kTradeColumnCount;
        case Table::bars:
            return kBarColumnCount;
    }
    return 0;
}

std::string quote_identifier(const std::string& name) {
    std::string quoted = "\"";
    for (const char character : name) {
        quoted += character;
        if (character == '"') {
            quoted += '"';
        }
    }
    return quoted + "\"";
}

std::string create_tables_sql(const std::string& schema) {
    const std::string& s = schema;
    return "CREATE SCHEMA IF NOT EXISTS " + s +
           ";\n"
           "CREATE TABLE IF NOT EXISTS " +
           s +
           ".quotes (\n"
           "    ts              timestamptz      NOT NULL,\n"
           "    provider        text             NOT NULL,\n"
           "    run_id          text             NOT NULL,\n"
           "    seq             bigint           NOT NULL,\n"
           "    symbol          text             NOT NULL,\n"
           "    bid             double precision,\n"
           "    ask             double precision,\n"
           "    bid_size        double precision,\n"
           "    ask_size        double precision,\n"
           "    last            double precision,\n"
           "    delayed         boolean          NOT NULL,\n"
           "    snapshot        boolean          NOT NULL,\n"
           "    event_time_ns   bigint           NOT NULL,\n"
           "    receive_time_ns bigint           NOT NULL,\n"
           "    CONSTRAINT quotes_event_key UNIQUE (provider, run_id, seq, ts)\n"
           ");\n"
           "CREATE INDEX IF NOT EXISTS quotes_symbol_ts ON " +
           s +
           ".quotes (symbol, ts DESC);\n"
           "CREATE TABLE IF NOT EXISTS " +
           s +
           ".trades (\n"
           "    ts              timestamptz      NOT NULL,\n"
           "    provider        text             NOT NULL,\n"
           "    run_id          text             NOT NULL,\n"
           "    seq             bigint           NOT NULL,\n"
           "    symbol          text             NOT NULL,\n"
           "    price           double precision,\n"
           "    size            double precision,\n"
           "    exchange        text             NOT NULL,\n"
           "    conditions      text             NOT NULL,\n"
           "    delayed         boolean          NOT NULL,\n"
           "    snapshot        boolean          NOT NULL,\n"
           "    event_time_ns   bigint           NOT NULL,\n"
           "    receive_time_ns bigint           NOT NULL,\n"
           "    CONSTRAINT trades_event_key UNIQUE (provider, run_id, seq, ts)\n"
           ");\n"
           "CREATE INDEX IF NOT EXISTS trades_symbol_ts ON " +
           s +
           ".trades (symbol, ts DESC);\n"
           "CREATE TABLE IF NOT EXISTS " +
           s +
           ".bars_ohlcv (\n"
           "    provider        text             NOT NULL,\n"
           "    symbol          text             NOT NULL,\n"
           "    \"interval\"      interval         NOT NULL,\n"
           "    ts              timestamptz      NOT NULL,\n"
           "    open            double precision,\n"
           "    high            double precision,\n"
           "    low             double precision,\n"
           "    close           double precision,\n"
           "    volume          double precision,\n"
           "    vwap            double precision,\n"
           "    trade_count     bigint           NOT NULL,\n"
           "    interval_ns     bigint           NOT NULL,\n"
           "    run_id          text             NOT NULL,\n"
           "    seq             bigint           NOT NULL,\n"
           "    receive_time_ns bigint           NOT NULL,\n"
           "    delayed         boolean          NOT NULL,\n"
           "    snapshot        boolean          NOT NULL,\n"
           "    PRIMARY KEY (provider, symbol, \"interval\", ts)\n"
           ");\n"
           "CREATE INDEX IF NOT EXISTS bars_ohlcv_symbol_ts ON " +
           s + ".bars_ohlcv (symbol, ts DESC);\n";
}

std::string create_hypertables_sql(const std::string& schema) {
    // The table name goes in as a string literal (regclass input): double its single quotes.
    std::string literal_schema;
    for (const char character : schema) {
        literal_schema += character;
        if (character == '\'') {
            literal_schema += '\'';
        }
    }
    std::string sql;
    for (const Table table : {Table::quotes, Table::trades, Table::bars}) {
        sql += "SELECT create_hypertable('" + literal_schema + "." + table_name(table) +
               "', 'ts', if_not_exists => TRUE, migrate_data => TRUE);\n";
    }
    return sql;
}

std::string create_staging_tables_sql(const std::string& schema) {
    std::string sql;
    for (const Table table : {Table::quotes, Table::trades, Table::bars}) {
        sql += "CREATE TEMP TABLE IF NOT EXISTS " + staging_name(table) + " (LIKE " + schema + "." + table_name(table) +
               ") ON COMMIT DELETE ROWS;\n";
    }
    return sql;
}

std::string copy_into_table_sql(const std::string& schema, Table table) {
    return "COPY " + schema + "." + table_name(table) + " (" + columns(table) + ") FROM STDIN (FORMAT binary)";
}

std::string copy_into_staging_sql(Table table) {
    return "COPY " + staging_name(table) + " (" + columns(table) + ") FROM STDIN (FORMAT binary)";
}

std::string merge_from_staging_sql(const std::string& schema, Table table) {
    const std::string target = schema + "." + table_name(table);
    const std::string cols = columns(table);
    if (table != Table::bars) {
        return "INSERT INTO " + target + " (" + cols + ") SELECT " + cols + " FROM " + staging_name(table) +
               " ON CONFLICT DO NOTHING";
    }
    return "INSERT INTO " + target + " (" + cols + ") SELECT DISTINCT ON (provider, symbol, \"interval\", ts) " + cols +
           " FROM " + staging_name(table) + " ORDER BY provider, symbol, \"interval\", ts, seq DESC " +
           "ON CONFLICT (provider, symbol, \"interval\", ts) DO UPDATE SET "
           "open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close, "
           "volume = EXCLUDED.volume, vwap = EXCLUDED.vwap, trade_count = EXCLUDED.trade_count, "
           "interval_ns = EXCLUDED.interval_ns, run_id = EXCLUDED.run_id, seq = EXCLUDED.seq, "
           "receive_time_ns = EXCLUDED.receive_time_ns, delayed = EXCLUDED.delayed, snapshot = EXCLUDED.snapshot";
}

}  // namespace mdp::sinks::postgres_schema
