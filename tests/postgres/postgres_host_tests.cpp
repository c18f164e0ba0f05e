// mdp-host end to end with a real PostgreSQL as its store: counts, an outage with HARD
// backpressure and readiness 503, SIGTERM under load, and startup with bad settings.

#include "postgres_host.hpp"
#include "postgres_server.hpp"
#include "synthetic_host.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace std::chrono_literals;
using mdp::test::eventually;
using mdp::test::PostgresHost;
using mdp::test::PostgresServer;
using nlohmann::json;

namespace {

std::uint64_t count(const PostgresServer& server, const std::string& sql) {
    return std::stoull(server.query(sql, "mdp"));
}

// Every accepted event is in the database exactly once, per type.
void check_everything_stored_once(const PostgresServer& server, const json& summary) {
    REQUIRE(summary.is_object());
    const json& synthetic = summary["providers"]["synthetic"];
    const auto published = synthetic["published"].get<std::uint64_t>();
    const json& by_type = synthetic["by_type"];
    CHECK(published > 0);
    INFO("summary: " << summary.dump());
    // Under the block policy nothing is dropped for any reason: shutdown stops the provider
    // (and stores what it flushes) before it closes the queue.
    for (const auto& [reason, count] : synthetic["dropped_by_reason"].items()) {
        INFO("dropped for " << reason);
        CHECK(count == 0);
    }
    CHECK(summary["not_stored"] == 0);
    CHECK(summary["sinks"]["pg"]["stored"].get<std::uint64_t>() == published);

    const std::string run_id = summary["run_id"];
    const std::string of_run = " WHERE provider = 'synthetic' AND run_id = '" + run_id + "'";
    CHECK(count(server, "SELECT count(*) FROM quotes" + of_run) == by_type.value("quote", 0ULL));
    CHECK(count(server, "SELECT count(*) FROM trades" + of_run) == by_type.value("trade", 0ULL));
    CHECK(count(server, "SELECT count(*) FROM bars_ohlcv" + of_run) == by_type.value("bar", 0ULL));
    CHECK(count(server, "SELECT count(DISTINCT seq) FROM quotes" + of_run) == by_type.value("quote", 0ULL));
    // Sequence numbers are per provider across types: together they are 1..published.
    CHECK(count(server, "SELECT count(DISTINCT seq) FROM (SELECT seq FROM quotes" + of_run +
                            " UNION ALL SELECT seq FROM trades" + of_run + " UNION ALL SELECT seq FROM bars_ohlcv" +
                            of_run + ") AS all_events") == published);
    CHECK(count(server, "SELECT max(seq) FROM (SELECT seq FROM quotes" + of_run + " UNION ALL SELECT seq FROM trades" +
                            of_run + " UNION ALL SELECT seq FROM bars_ohlcv" + of_run + ") AS all_events") ==
          published);
}

std::vector<std::string> feedback_levels(const json& status) {
    std::vector<std::string> levels;
    for (const auto& event : status["recent_feedback"]) {
        levels.push_back(event["level"]);
    }
    return levels;
}

}  // namespace

TEST_CASE("mdp-host stores every published synthetic event in PostgreSQL", "[postgres][host]") {
    PostgresServer server;
    server.create_database("mdp");
    PostgresHost host({server.conninfo("mdp")});
    INFO(host.output());
    // Long enough for some 1-second bars.
    REQUIRE(eventually([&] { return count(server, "SELECT count(*) FROM bars_ohlcv") >= 4; }, 60s));
    CHECK(host.ready_status() == 200);
    REQUIRE(host.stop() == 0);
    check_everything_stored_once(server, host.summary());
}

TEST_CASE("a PostgreSQL outage drives HARD backpressure and readiness 503, then everything lands once",
          "[postgres][host]") {
    PostgresServer server;
    server.create_database("mdp");
    PostgresHost host({server.conninfo("mdp")});
    INFO(host.output());
    REQUIRE(eventually([&] { return mdp::test::first_sink_events_stored(host.status()) > 500; }, 60s));
    REQUIRE(host.ready_status() == 200);

    server.stop();
    // The queue fills (2 x 500 events/s into capacity 2000), the level goes HARD, the
    // provider is paused and the host is not ready, naming the sink.
    REQUIRE(eventually(
        [&] {
            const json status = host.status();
            return status.is_object() && status["queue"]["level"] == "hard" &&
                   status["providers"][0]["rate_scale"] == 0.0;
        },
        60s));
    const auto ready = host.get("/ready");
    CHECK(ready.status == 503);
    CHECK_THAT(ready.body, Catch::Contains("sink 'pg'"));
    json status = host.status();
    CHECK(status["sinks"][0]["healthy"] == false);
    CHECK(status["providers"][0]["dropped_total"] == 0);  // blocked and paused, not dropping
    std::this_thread::sleep_for(3s);  // an outage of several seconds, held at HARD
    CHECK(host.status()["queue"]["level"] == "hard");

    server.start();
    REQUIRE(eventually(
        [&] {
            status = host.status();
            return status.is_object() && status["queue"]["level"] == "ok" &&
                   status["providers"][0]["rate_scale"] == 1.0;
        },
        90s));
    CHECK(eventually([&] { return host.ready_status() == 200; }, 30s));
    const auto levels = feedback_levels(status);
    REQUIRE(levels.size() >= 3);
    CHECK(std::vector<std::string>(levels.begin(), levels.begin() + 3) ==
          std::vector<std::string>{"soft", "hard", "ok"});
    const auto resumed_at = mdp::test::first_sink_events_stored(host.status());
    CHECK(eventually([&] { return mdp::test::first_sink_events_stored(host.status()) > resumed_at + 500; }, 30s));

    REQUIRE(host.stop() == 0);
    const json summary = host.summary();
    CHECK(summary["sinks"]["pg"]["errors"].get<std::uint64_t>() > 0);  // the outage was real
    check_everything_stored_once(server, summary);
}

TEST_CASE("mdp-host drains into PostgreSQL on SIGTERM under load and exits 0", "[postgres][host]") {
    PostgresServer server;
    server.create_database("mdp");
    mdp::test::PostgresHostOptions options{server.conninfo("mdp")};
    options.rate_per_symbol = 0;  // unthrottled: the queue is as full as the sink lets it be
    options.queue_capacity = 20000;
    options.batch_size = 1000;
    PostgresHost host(options);
    INFO(host.output());
    REQUIRE(eventually([&] { return mdp::test::first_sink_events_stored(host.status()) > 20000; }, 60s));
    REQUIRE(host.stop() == 0);
    check_everything_stored_once(server, host.summary());
}

TEST_CASE("mdp-host refuses to start with bad PostgreSQL settings, naming the sink", "[postgres][host]") {
    PostgresServer server;
    server.create_database("mdp");
    const std::string base = "host=127.0.0.1 port=" + std::to_string(server.port()) + " sslmode=disable";
    const mdp::test::RefusingPort nothing_listening;
    std::string conninfo;
    std::string reason;
    SECTION("nothing listening") {
        conninfo = "host=127.0.0.1 port=" + std::to_string(nothing_listening.port()) + " user=mdp";
        reason = "Connection refused";
    }
    SECTION("wrong password") {
        conninfo = base + " user=" + server.user() + " password=not-the-password dbname=mdp";
        reason = "password authentication failed for user \"mdp\"";
    }
    SECTION("missing database") {
        conninfo = base + " user=" + server.user() + " password=" + server.password() + " dbname=absent";
        reason = "database \"absent\" does not exist";
    }
    mdp::test::TempDir directory;
    const auto config = directory.write_file("mdp.json", mdp::test::postgres_host_config({conninfo}, 0).dump(2));

    const auto run = mdp::test::run_to_completion(MDP_HOST_BINARY, {"--config", config.string()}, 60s);
    INFO(run.output);
    CHECK(run.exit_code == 1);  // docs/configuration.md: a sink that cannot be opened exits 1
    CHECK_THAT(run.output,
               Catch::Contains("sink pg (postgres): cannot connect to PostgreSQL") && Catch::Contains(reason));
    CHECK_THAT(run.output, !Catch::Contains("not-the-password"));
    // Nothing half-started: no provider ran, nothing was published, HTTP never came up.
    CHECK_THAT(run.output, !Catch::Contains("running:"));
    const json summary = mdp::test::find_summary(run.output);
    if (summary.is_object()) {
        CHECK(summary["providers"]["synthetic"]["published"] == 0);
    }

    const auto check = mdp::test::run_to_completion(
        MDP_HOST_BINARY, {"--config", config.string(), "--check-config", "--check-sinks"}, 60s);
    INFO(check.output);
    CHECK(check.exit_code == 2);
    CHECK_THAT(check.output, Catch::Contains("sink pg (postgres)") && Catch::Contains(reason));
}
