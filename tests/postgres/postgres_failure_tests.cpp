// The postgres sink when things go wrong: connections cut around COMMIT, backends killed,
// the server stopped and started, timeouts, bad connection settings, the circuit breaker.

#include "child_process.hpp"
#include "postgres_server.hpp"
#include "scoped_environment.hpp"
#include "sink_test_events.hpp"
#include "sinks/postgres/postgres_sink.hpp"
#include "tcp_cut_proxy.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using mdp::sinks::CircuitBreaker;
using mdp::sinks::PostgresSink;
using mdp::sinks::PostgresSinkOptions;
using mdp::sinks::PostgresWritePath;
using mdp::sinks::SinkError;
using mdp::test::PostgresServer;
using mdp::test::TcpCutProxy;

namespace {

PostgresSinkOptions options_for(const std::string& conninfo) {
    PostgresSinkOptions options;
    options.connection.conninfo = conninfo;
    options.connection.connect_timeout_seconds = 5;
    return options;
}

std::string proxied_conninfo(const PostgresServer& server, const TcpCutProxy& proxy) {
    return "host=127.0.0.1 port=" + std::to_string(proxy.port()) + " user=" + server.user() +
           " password=" + server.password() + " dbname=mdp sslmode=disable";
}

long count(const PostgresServer& server, const std::string& sql) { return std::stol(server.query(sql, "mdp")); }

void check_stored_once(const PostgresServer& server, long quotes, long trades, long bars) {
    CHECK(count(server, "SELECT count(*) FROM quotes") == quotes);
    CHECK(count(server, "SELECT count(DISTINCT (provider, run_id, seq)) FROM quotes") == quotes);
    CHECK(count(server, "SELECT count(*) FROM trades") == trades);
    CHECK(count(server, "SELECT count(DISTINCT (provider, run_id, seq)) FROM trades") == trades);
    CHECK(count(server, "SELECT count(*) FROM bars_ohlcv") == bars);
}

// Attempts that reached (or tried to reach) the database and failed: every kind but the
// writes the open breaker refused.
std::uint64_t failed_attempts(const PostgresSink& sink) {
    std::uint64_t total = 0;
    for (const auto& [kind, errors] : sink.stats().errors_by_kind) {
        total += kind == "circuit_open" ? 0 : errors;
    }
    return total;
}

std::string open_error(const std::string& conninfo) {
    PostgresSink sink("pg", options_for(conninfo));
    try {
        sink.open(mdp::test::make_context());
    } catch (const SinkError& error) {
        return error.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("postgres sink: a connection lost after the server committed stores the batch once", "[postgres][failure]") {
    PostgresServer server;
    server.create_database("mdp");
    TcpCutProxy proxy(server.port());
    PostgresSink sink("pg", options_for(proxied_conninfo(server, proxy)));
    sink.open(mdp::test::make_context());
    sink.write(mdp::test::make_mixed_batch(5, 5, 1));

    proxy.arm(TcpCutProxy::Cut::after_commit_response);
    const auto batch = mdp::test::make_mixed_batch(50, 30, 4, 100);
    REQUIRE_THROWS_AS(sink.write(batch), SinkError);  // commits but hears nothing
    REQUIRE(proxy.cuts() == 1);
    CHECK(sink.stats().errors_by_kind.at("connection_lost") == 1);
    sink.write(batch);  // the coordinator's retry finds the rows stored
    CHECK(sink.last_write_path() == PostgresWritePath::staged_merge);
    check_stored_once(server, 55, 35, 5);

    SECTION("and when the coordinator retries the batch once more") {
        sink.write(batch);
        check_stored_once(server, 55, 35, 5);
    }
}

TEST_CASE("postgres sink: a connection lost before COMMIT reached the server stores the batch once",
          "[postgres][failure]") {
    PostgresServer server;
    server.create_database("mdp");
    TcpCutProxy proxy(server.port());
    PostgresSink sink("pg", options_for(proxied_conninfo(server, proxy)));
    sink.open(mdp::test::make_context());

    proxy.arm(TcpCutProxy::Cut::before_commit);
    const auto batch = mdp::test::make_mixed_batch(40, 20, 2);
    REQUIRE_THROWS_AS(sink.write(batch), SinkError);
    REQUIRE(proxy.cuts() == 1);
    sink.write(batch);  // the coordinator's retry
    check_stored_once(server, 40, 20, 2);
}

TEST_CASE("postgres sink reconnects after its backend was terminated", "[postgres][failure]") {
    PostgresServer server;
    server.create_database("mdp");
    auto options = options_for(server.conninfo("mdp"));
    options.connection.application_name = "mdp-sink-under-test";
    PostgresSink sink("pg", options);
    sink.open(mdp::test::make_context());
    sink.write(mdp::test::make_mixed_batch(3, 0, 0));

    CHECK(server.query("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE application_name = 'mdp-sink-under-test'") == "1");
    const auto batch = mdp::test::make_mixed_batch(3, 0, 0, 4);
    CHECK_THROWS_AS(sink.write(batch), SinkError);  // one attempt, on the terminated connection
    CHECK(sink.stats().errors_by_kind.at("connection_lost") == 1);
    sink.write(batch);  // the coordinator's retry connects again
    CHECK(count(server, "SELECT count(*) FROM quotes") == 6);
}

TEST_CASE("postgres sink survives a server restart between batches", "[postgres][failure]") {
    PostgresServer server;
    server.create_database("mdp");
    PostgresSink sink("pg", options_for(server.conninfo("mdp")));
    sink.open(mdp::test::make_context());
    sink.write(mdp::test::make_mixed_batch(10, 0, 0));
    server.stop();
    server.start();
    const auto batch = mdp::test::make_mixed_batch(10, 0, 0, 11);
    CHECK_THROWS_AS(sink.write(batch), SinkError);  // the old connection is gone
    sink.write(batch);  // the coordinator's retry connects again
    CHECK(count(server, "SELECT count(*) FROM quotes") == 20);
}

TEST_CASE("postgres sink fails a write while the server is down and stores it once it is back", "[postgres][failure]") {
    PostgresServer server;
    server.create_database("mdp");
    auto options = options_for(server.conninfo("mdp"));
    options.circuit_failure_threshold = 2;
    options.circuit_cooldown = std::chrono::milliseconds(0);  // every write after opening probes once
    PostgresSink sink("pg", options);
    sink.open(mdp::test::make_context());
    sink.write(mdp::test::make_mixed_batch(5, 0, 0));

    server.stop();
    const auto batch = mdp::test::make_mixed_batch(5, 5, 1, 6);
    CHECK_THROWS_AS(sink.write(batch), SinkError);
    CHECK(sink.circuit_state() == CircuitBreaker::State::closed);
    CHECK_THROWS_WITH(sink.write(batch), Catch::Contains("cannot connect to PostgreSQL"));
    CHECK(sink.circuit_state() == CircuitBreaker::State::open);
    CHECK(sink.stats().circuit_state == "open");
    const auto attempts_before_probe = sink.stats().errors_by_kind.at("connect");
    CHECK_THROWS_AS(sink.write(batch), SinkError);  // half-open: exactly one attempt
    CHECK(sink.stats().errors_by_kind.at("connect") == attempts_before_probe + 1);
    CHECK(sink.circuit_state() == CircuitBreaker::State::open);

    server.start();
    sink.write(batch);
    CHECK(sink.circuit_state() == CircuitBreaker::State::closed);
    CHECK(sink.stats().circuit_state == "closed");
    check_stored_once(server, 10, 5, 1);
}

TEST_CASE("postgres sink fails fast while its circuit is open", "[postgres][failure]") {
    PostgresServer server;
    server.create_database("mdp");
    auto options = options_for(server.conninfo("mdp"));
    options.circuit_failure_threshold = 1;
    options.circuit_cooldown = std::chrono::hours(1);
    PostgresSink sink("pg", options);
    sink.open(mdp::test::make_context());
    server.stop();
    CHECK_THROWS_AS(sink.write(mdp::test::make_mixed_batch(1, 0, 0)), SinkError);  // one attempt
    CHECK(failed_attempts(sink) == 1);
    for (int write = 0; write < 3; ++write) {
        CHECK_THROWS_WITH(sink.write(mdp::test::make_mixed_batch(1, 0, 0)),
                          Catch::StartsWith("circuit breaker open after 1 consecutive failed writes") &&
                              Catch::Contains("last error: "));
    }
    CHECK(sink.stats().errors_by_kind.at("circuit_open") == 3);
    CHECK(failed_attempts(sink) == 1);  // nothing tried
}

TEST_CASE("postgres sink reports a statement timeout and recovers when the blocker goes", "[postgres][failure]") {
    PostgresServer server;
    server.create_database("mdp");
    auto options = options_for(server.conninfo("mdp"));
    options.connection.statement_timeout_ms = 300;
    PostgresSink sink("pg", options);
    sink.open(mdp::test::make_context());

    mdp::test::TempDir scratch;
    mdp::test::ChildProcess locker(
        (server.bin_dir() / "psql").string(),
        {"-X", "-h", "127.0.0.1", "-p", std::to_string(server.port()), "-U", server.user(), "-d", "mdp", "-c",
         "BEGIN; LOCK TABLE quotes IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(600); COMMIT;"},
        scratch / "locker.txt", {{"PGPASSWORD", server.password()}, {"PGSSLMODE", "disable"}});
    REQUIRE(mdp::test::eventually(
        [&] {
            return server.query(
                       "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                       "WHERE c.relname = 'quotes' AND l.mode = 'AccessExclusiveLock' AND l.granted",
                       "mdp") == "1";
        },
        std::chrono::seconds(30)));

    CHECK_THROWS_WITH(sink.write(mdp::test::make_mixed_batch(2, 0, 0)), Catch::Contains("statement timeout"));
    CHECK(sink.stats().errors_by_kind.at("timeout") == 1);

    server.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(600)%' "
        "AND pid <> pg_backend_pid()");
    sink.write(mdp::test::make_mixed_batch(2, 0, 0));
    CHECK(count(server, "SELECT count(*) FROM quotes") == 2);
}

TEST_CASE("postgres sink open() names what is wrong with the connection settings", "[postgres][failure]") {
    PostgresServer server;
    server.create_database("mdp");
    const std::string base = "host=127.0.0.1 port=" + std::to_string(server.port()) + " sslmode=disable";

    SECTION("nothing listening") {
        const mdp::test::RefusingPort nothing_listening;
        const auto message = open_error("host=127.0.0.1 port=" + std::to_string(nothing_listening.port()) +
                                        " user=mdp password=x connect_timeout=2");
        CHECK_THAT(message, Catch::StartsWith("cannot connect to PostgreSQL") && Catch::Contains("refused"));
    }
    SECTION("a socket directory without a server") {
        mdp::test::TempDir empty;
        const auto message = open_error("host=" + empty.path().string() + " user=mdp");
        CHECK_THAT(message,
                   Catch::StartsWith("cannot connect to PostgreSQL") && Catch::Contains(empty.path().string()));
    }
    SECTION("a wrong password, which never appears in the message") {
        const auto message = open_error(base + " user=" + server.user() + " password=Sw0rdfish-wrong dbname=mdp");
        CHECK_THAT(message, Catch::Contains("password authentication failed for user \"mdp\""));
        CHECK_THAT(message, !Catch::Contains("Sw0rdfish"));
    }
    SECTION("a missing database") {
        const auto message =
            open_error(base + " user=" + server.user() + " password=" + server.password() + " dbname=nope");
        CHECK_THAT(message, Catch::Contains("database \"nope\" does not exist"));
    }
    SECTION("missing tables with create_schema off") {
        auto options = options_for(server.conninfo("mdp"));
        options.create_schema = false;
        PostgresSink sink("pg", options);
        CHECK_THROWS_WITH(sink.open(mdp::test::make_context()),
                          Catch::Contains("table \"public\".quotes does not exist and create_schema is false"));
    }
}

TEST_CASE("postgres sink takes its connection from the libpq environment", "[postgres][failure]") {
    PostgresServer server;
    server.create_database("mdp");
    const std::map<std::string, std::string> environment = {
        {"PGHOST", "127.0.0.1"},   {"PGPORT", std::to_string(server.port())},
        {"PGUSER", server.user()}, {"PGPASSWORD", server.password()},
        {"PGDATABASE", "mdp"},     {"PGSSLMODE", "disable"}};
    // Unset again however the case ends (a throwing open() included), so no later case in
    // this process connects through them by accident.
    const mdp::test::ScopedEnvironment scoped(environment);
    PostgresSink sink("pg", options_for(""));
    sink.open(mdp::test::make_context());
    sink.write(mdp::test::make_mixed_batch(1, 1, 1));
    CHECK(count(server, "SELECT count(*) FROM quotes") == 1);
}
