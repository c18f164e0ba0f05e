// The schema the sink creates equals the one shipped for DBAs (deploy/sql), and the sink
// writes into a DBA-created schema without creating anything itself.

#include "postgres_server.hpp"
#include "sink_test_events.hpp"
#include "sinks/postgres/postgres_copy_encoder.hpp"
#include "sinks/postgres/postgres_sink.hpp"

#include <catch2/catch.hpp>

using mdp::sinks::PostgresSink;
using mdp::sinks::PostgresSinkOptions;
using mdp::test::PostgresServer;

namespace {

const std::filesystem::path kDbaSchemaFile =
    std::filesystem::path(MDP_SOURCE_DIR) / "deploy/sql/mdp_postgres_schema.sql";

// Columns with types and nullability, constraints and index definitions of the public schema.
std::string describe_schema(const PostgresServer& server, const std::string& database) {
    return server.query(
        "SELECT string_agg(line, E'\\n' ORDER BY line) FROM ("
        "  SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable AS line"
        "    FROM information_schema.columns WHERE table_schema = 'public'"
        "  UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || pg_get_constraintdef(oid)"
        "    FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
        "  UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public') AS lines",
        database);
}

}  // namespace

TEST_CASE("the shipped SQL schema equals the one the postgres sink creates", "[postgres][schema]") {
    PostgresServer server;
    server.create_database("by_sink");
    server.create_database("by_dba");

    PostgresSinkOptions options;
    options.connection.conninfo = server.conninfo("by_sink");
    PostgresSink sink("pg", options);
    sink.open(mdp::test::make_context());
    sink.close();

    const auto applied = mdp::test::run_to_completion(
        (server.bin_dir() / "psql").string(),
        {"-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", std::to_string(server.port()), "-U",
         server.user(), "-d", "by_dba", "-f", kDbaSchemaFile.string()},
        std::chrono::seconds(60), {{"PGPASSWORD", server.password()}, {"PGSSLMODE", "disable"}});
    REQUIRE(applied.exit_code == 0);

    const auto by_sink = describe_schema(server, "by_sink");
    CHECK_THAT(by_sink, Catch::Contains("column bars_ohlcv.interval interval NO"));
    CHECK_THAT(by_sink, Catch::Contains("PRIMARY KEY (provider, symbol, \"interval\", ts)"));
    CHECK(by_sink == describe_schema(server, "by_dba"));
}

TEST_CASE("postgres sink writes into a DBA-created schema with create_schema off", "[postgres][schema]") {
    PostgresServer server;
    server.create_database("mdp");
    const auto applied = mdp::test::run_to_completion(
        (server.bin_dir() / "psql").string(),
        {"-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", std::to_string(server.port()), "-U",
         server.user(), "-d", "mdp", "-f", kDbaSchemaFile.string()},
        std::chrono::seconds(60), {{"PGPASSWORD", server.password()}, {"PGSSLMODE", "disable"}});
    REQUIRE(applied.exit_code == 0);
    // A role that may write rows but not create tables, as a DBA would grant it.
    server.query(
        "CREATE ROLE writer LOGIN PASSWORD 'writer-pw'; "
        "GRANT SELECT, INSERT, UPDATE ON quotes, trades, bars_ohlcv TO writer; "
        "GRANT TEMPORARY ON DATABASE mdp TO writer; REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        "mdp");

    PostgresSinkOptions options;
    options.connection.conninfo = "host=127.0.0.1 port=" + std::to_string(server.port()) +
                                  " user=writer password=writer-pw dbname=mdp sslmode=disable";
    options.create_schema = false;
    PostgresSink sink("pg", options);
    sink.open(mdp::test::make_context());
    const auto batch = mdp::test::make_mixed_batch(4, 3, 2);
    sink.write(batch);
    sink.write(batch);  // the retried path (staging tables) works with these grants too
    CHECK(server.query("SELECT count(*) FROM quotes", "mdp") == "4");
    CHECK(server.query("SELECT count(*) FROM trades", "mdp") == "3");
    CHECK(server.query("SELECT count(*) FROM bars_ohlcv", "mdp") == "2");
}

TEST_CASE("binary COPY timestamps count microseconds from 2000-01-01 UTC", "[postgres][schema]") {
    CHECK(mdp::sinks::postgres_timestamp_us(946'684'800'000'000'000) == 0);
    CHECK(mdp::sinks::postgres_timestamp_us(946'684'800'000'001'999) == 1);
    CHECK(mdp::sinks::postgres_timestamp_us(946'684'799'999'999'999) == -1);
    CHECK(mdp::sinks::postgres_timestamp_us(0) == -946'684'800'000'000);
}
