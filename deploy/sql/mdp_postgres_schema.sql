-- mdp PostgreSQL store schema, for DBAs who create it themselves (then configure the sink
-- with "create_schema": false). The postgres sink creates exactly this when allowed to.
-- Tables go into the schema first on the search_path (normally public); set search_path
-- before running this file to use another one, and name it in the sink's "schema" key.
--
--   psql "$CONNINFO" -v ON_ERROR_STOP=1 -f mdp_postgres_schema.sql
--
-- Idempotent: running it again changes nothing. The mdp role needs INSERT and SELECT on
-- the three tables and TEMPORARY on the database (the sink stages retried batches in
-- temporary tables).

BEGIN;

-- Event time as timestamptz (microseconds) for queries and partitioning; the exact
-- nanosecond times as bigint. (provider, run_id, seq) identifies an event; ts is in the key
-- only because TimescaleDB requires the time column in every unique key.
CREATE TABLE IF NOT EXISTS quotes (
    ts              timestamptz      NOT NULL,
    provider        text             NOT NULL,
    run_id          text             NOT NULL,
    seq             bigint           NOT NULL,
    symbol          text             NOT NULL,
    bid             double precision,
    ask             double precision,
    bid_size        double precision,
    ask_size        double precision,
    last            double precision,
    delayed         boolean          NOT NULL,
    snapshot        boolean          NOT NULL,
    event_time_ns   bigint           NOT NULL,
    receive_time_ns bigint           NOT NULL,
    CONSTRAINT quotes_event_key UNIQUE (provider, run_id, seq, ts)
);
CREATE INDEX IF NOT EXISTS quotes_symbol_ts ON quotes (symbol, ts DESC);

CREATE TABLE IF NOT EXISTS trades (
    ts              timestamptz      NOT NULL,
    provider        text             NOT NULL,
    run_id          text             NOT NULL,
    seq             bigint           NOT NULL,
    symbol          text             NOT NULL,
    price           double precision,
    size            double precision,
    exchange        text             NOT NULL,
    conditions      text             NOT NULL,
    delayed         boolean          NOT NULL,
    snapshot        boolean          NOT NULL,
    event_time_ns   bigint           NOT NULL,
    receive_time_ns bigint           NOT NULL,
    CONSTRAINT trades_event_key UNIQUE (provider, run_id, seq, ts)
);
CREATE INDEX IF NOT EXISTS trades_symbol_ts ON trades (symbol, ts DESC);

-- The previous store's bars table, same name, columns and key; vwap, trade_count and the
-- event identity added. ts is the bar's start. A bar is upserted on its key.
CREATE TABLE IF NOT EXISTS bars_ohlcv (
    provider        text             NOT NULL,
    symbol          text             NOT NULL,
    "interval"      interval         NOT NULL,
    ts              timestamptz      NOT NULL,
    open            double precision,
    high            double precision,
    low             double precision,
    close           double precision,
    volume          double precision,
    vwap            double precision,
    trade_count     bigint           NOT NULL,
    interval_ns     bigint           NOT NULL,
    run_id          text             NOT NULL,
    seq             bigint           NOT NULL,
    receive_time_ns bigint           NOT NULL,
    delayed         boolean          NOT NULL,
    snapshot        boolean          NOT NULL,
    PRIMARY KEY (provider, symbol, "interval", ts)
);
CREATE INDEX IF NOT EXISTS bars_ohlcv_symbol_ts ON bars_ohlcv (symbol, ts DESC);

COMMIT;

-- With TimescaleDB installed (and preloaded), make them hypertables partitioned on ts.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
        CREATE EXTENSION IF NOT EXISTS timescaledb;
        PERFORM create_hypertable('quotes', 'ts', if_not_exists => TRUE, migrate_data => TRUE);
        PERFORM create_hypertable('trades', 'ts', if_not_exists => TRUE, migrate_data => TRUE);
        PERFORM create_hypertable('bars_ohlcv', 'ts', if_not_exists => TRUE, migrate_data => TRUE);
    END IF;
END
$$;
