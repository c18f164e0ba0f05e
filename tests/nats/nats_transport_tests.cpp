// The scale-out transport end to end, every part real: an ingest mdp-host (synthetic -> nats
// sink) and store mdp-hosts (nats provider -> SQLite or PostgreSQL) around one nats-server with
// JetStream. Each event must be stored exactly once, with the identity the ingest host gave
// it, whatever happens to a store host, the store, or the messages on the subject.
#include "nats_fixture.hpp"
#include "postgres_server.hpp"
#include "sqlite_reader.hpp"
#include "stream_reader.hpp"
#include "transport_hosts.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using mdp::test::eventually;
using mdp::test::NatsServer;
using mdp::test::SyntheticHost;
using nlohmann::json;

namespace {

using Rows = std::vector<std::vector<std::string>>;

// Every quote and trade with every column; REAL values with 17 significant digits, so equal
// text means equal bits.
Rows stored_rows(const std::filesystem::path& database) {
    mdp::test::SqliteReader reader(database);
    Rows rows = reader.rows(
        "SELECT 'quote', provider, run_id, seq, symbol, event_time_ns, receive_time_ns, delayed, snapshot, "
        "printf('%!.17e', bid), printf('%!.17e', ask), printf('%!.17e', bid_size), printf('%!.17e', ask_size), "
        "printf('%!.17e', last), '' FROM quotes ORDER BY provider, run_id, seq");
    const Rows trades = reader.rows(
        "SELECT 'trade', provider, run_id, seq, symbol, event_time_ns, receive_time_ns, delayed, snapshot, "
        "printf('%!.17e', price), printf('%!.17e', size), exchange, conditions, '', '' FROM trades "
        "ORDER BY provider, run_id, seq");
    rows.insert(rows.end(), trades.begin(), trades.end());
    return rows;
}

std::uint64_t published_by(const json& summary, const std::string& provider) {
    REQUIRE(summary.is_object());
    return summary["providers"][provider]["published"].get<std::uint64_t>();
}

// Stops the ingest host (exit 0, nothing dropped) and returns how many events it published.
std::uint64_t stop_ingest(SyntheticHost& ingest) {
    REQUIRE(ingest.stop() == 0);
    const json summary = ingest.summary();
    INFO("ingest summary: " << summary.dump());
    CHECK(summary["not_stored"] == 0);
    for (const auto& [reason, count] : summary["providers"]["synthetic"]["dropped_by_reason"].items()) {
        INFO("dropped for " << reason);
        CHECK(count == 0);
    }
    return published_by(summary, "synthetic");
}

// Per origin provider and run in PostgreSQL: count == distinct seq == max seq == published.
void check_stored_once(const mdp::test::PostgresServer& postgres, std::uint64_t published) {
    const std::string rows = postgres.query(
        "SELECT provider, run_id, count(*), count(DISTINCT seq), max(seq) FROM "
        "(SELECT provider, run_id, seq FROM quotes UNION ALL SELECT provider, run_id, seq FROM trades) AS events "
        "GROUP BY provider, run_id",
        "mdp");
    INFO("per origin: " << rows);
    REQUIRE(rows.find('\n') == std::string::npos);  // one origin run: the ingest host's
    const std::string expected = std::to_string(published);
    CHECK_THAT(rows,
               Catch::StartsWith("synthetic|") && Catch::EndsWith("|" + expected + "|" + expected + "|" + expected));
}

// A private PostgreSQL with the database "mdp" the store hosts write into.
struct MdpDatabase {
    mdp::test::PostgresServer server;
    MdpDatabase() { server.create_database("mdp"); }
    [[nodiscard]] json sink() const {
        return {
            {"type", "postgres"}, {"name", "pg"}, {"conninfo", server.conninfo("mdp")}, {"connect_timeout_seconds", 2}};
    }
};

// nats-server, the database, two store hosts sharing the consumer into it, and an ingest
// host at 1000 events/s per symbol; started in that order.
struct TwoStoreHosts {
    NatsServer server;
    MdpDatabase database;
    SyntheticHost first{mdp::test::store_host_options(server, database.sink())};
    SyntheticHost second{mdp::test::store_host_options(server, database.sink())};
    SyntheticHost ingest{mdp::test::ingest_host_options(server, 1000)};
};

}  // namespace

TEST_CASE("nats transport: ingest -> JetStream -> store host, every event once, bit-identical, identity kept",
          "[nats][host]") {
    MDP_REQUIRE_NATS_SERVER();
    NatsServer server;
    mdp::test::TempDir directory;
    const auto reference = directory / "ingest.sqlite";
    SyntheticHost store(mdp::test::store_host_options(server));
    INFO(store.output());
    SyntheticHost ingest(mdp::test::ingest_host_options(
        server, 500, json::array({{{"type", "sqlite"}, {"name", "reference"}, {"path", reference.string()}}})));
    INFO(ingest.output());
    REQUIRE(eventually([&] { return mdp::test::first_sink_events_stored(store.status()) > 2000; }, 60s));
    const std::uint64_t published = stop_ingest(ingest);
    REQUIRE(eventually([&] { return mdp::test::first_sink_events_stored(store.status()) == published; }, 60s));
    // Every message acknowledged: nothing pending on the consumer.
    CHECK(eventually([&] { return mdp::test::unacknowledged(server) == 0; }, 30s));
    // The provider's own metrics reach /metrics and the status document.
    CHECK(eventually([&] { return store.provider("store")["metrics"]["pending_acks"] == 0.0; }, 10s));
    CHECK(store.provider("store")["metrics"]["messages_acked_total"].get<double>() > 0);
    const std::string metrics = store.get("/metrics").body;
    CHECK_THAT(metrics, Catch::Contains("# TYPE mdp_plugin_nats_messages_acked_total counter") &&
                            Catch::Contains("mdp_plugin_nats_events_fetched_total{provider=\"store\"} ") &&
                            Catch::Contains("# TYPE mdp_plugin_nats_pending_acks gauge"));
    REQUIRE(store.stop() == 0);
    const json summary = store.summary();
    INFO("store summary: " << summary.dump());
    CHECK(published_by(summary, "store") == published);
    CHECK(summary["not_stored"] == 0);
    const Rows expected = stored_rows(reference);
    const Rows arrived = stored_rows(store.database());
    REQUIRE(expected.size() == published);
    CHECK(arrived == expected);  // provider, run id and seq are the ingest host's
}

TEST_CASE("nats transport: two store hosts share the consumer into PostgreSQL, each takes part, all stored once",
          "[nats][host][postgres]") {
    MDP_REQUIRE_NATS_SERVER();
    TwoStoreHosts tier;
    NatsServer& server = tier.server;
    SyntheticHost& first = tier.first;
    SyntheticHost& second = tier.second;
    SyntheticHost& ingest = tier.ingest;
    INFO(first.output() << second.output() << ingest.output());
    REQUIRE(eventually(
        [&] {
            return mdp::test::first_sink_events_stored(first.status()) > 1000 &&
                   mdp::test::first_sink_events_stored(second.status()) > 1000;
        },
        60s));
    const std::uint64_t published = stop_ingest(ingest);
    REQUIRE(eventually([&] { return mdp::test::unacknowledged(server) == 0; }, 60s));
    REQUIRE(first.stop() == 0);
    REQUIRE(second.stop() == 0);
    const std::uint64_t by_first = published_by(first.summary(), "store");
    const std::uint64_t by_second = published_by(second.summary(), "store");
    CHECK(by_first > 0);
    CHECK(by_second > 0);
    CHECK(by_first + by_second >= published);  // a redelivery may count twice, never less
    check_stored_once(tier.database.server, published);
}

TEST_CASE("nats transport: a store host killed mid-run, its messages redelivered to the other, none lost or doubled",
          "[nats][host][postgres]") {
    MDP_REQUIRE_NATS_SERVER();
    TwoStoreHosts tier;
    NatsServer& server = tier.server;
    SyntheticHost& survivor = tier.first;
    SyntheticHost& victim = tier.second;
    SyntheticHost& ingest = tier.ingest;
    INFO(survivor.output() << victim.output() << ingest.output());
    REQUIRE(eventually([&] { return mdp::test::first_sink_events_stored(victim.status()) > 1000; }, 60s));
    // Frozen, the victim still holds what it fetched and what its open pull request receives;
    // JetStream hands that to the survivor once ack_wait (2 s) passed without an ack.
    bool redelivered = false;
    for (int attempt = 0; attempt < 5 && !redelivered; ++attempt) {
        REQUIRE(::kill(victim.pid(), SIGSTOP) == 0);
        redelivered = eventually([&] { return mdp::test::store_counter(survivor.status(), "redelivered") > 0; }, 8s);
        if (!redelivered) {
            REQUIRE(::kill(victim.pid(), SIGCONT) == 0);  // it held nothing at that moment: again
        }
    }
    REQUIRE(redelivered);
    REQUIRE(::kill(victim.pid(), SIGKILL) == 0);
    const std::uint64_t published = stop_ingest(ingest);
    REQUIRE(eventually([&] { return mdp::test::unacknowledged(server) == 0; }, 60s));
    REQUIRE(survivor.stop() == 0);
    check_stored_once(tier.database.server, published);
}

TEST_CASE("nats transport: a stalled store tier leaves the backlog in the stream, /jsz shows it rise and fall",
          "[nats][host][postgres]") {
    MDP_REQUIRE_NATS_SERVER();
    NatsServer server;
    MdpDatabase database;
    mdp::test::PostgresServer& postgres = database.server;
    auto options = mdp::test::store_host_options(server, database.sink());
    options.queue_capacity = 4000;
    options.store_overrides = {{"retry_initial_backoff_ms", 50}, {"retry_max_backoff_ms", 300}};
    SyntheticHost store(options);
    SyntheticHost ingest(mdp::test::ingest_host_options(server, 1000));
    INFO(store.output() << ingest.output());
    REQUIRE(eventually([&] { return mdp::test::first_sink_events_stored(store.status()) > 1000; }, 60s));
    postgres.stop();
    // The store host's queue fills, HARD pauses the provider, and the stream holds the rest.
    REQUIRE(eventually([&] { return store.provider("store")["rate_scale"] == 0.0; }, 60s));
    const json paused = store.status();
    // Held at HARD (at or above the 80 % watermark, the sink failing) and bounded by capacity.
    CHECK(paused["queue"]["depth"].get<std::uint64_t>() >= 3200);
    CHECK(paused["queue"]["depth"].get<std::uint64_t>() <= 4000);
    REQUIRE(
        eventually([&] { return mdp::test::consumer_state(server)["num_pending"].get<std::uint64_t>() > 20; }, 60s));
    const std::uint64_t backlog = mdp::test::consumer_state(server)["num_pending"].get<std::uint64_t>();
    CHECK(eventually(
        [&] { return mdp::test::consumer_state(server)["num_pending"].get<std::uint64_t>() > backlog + 10; }, 30s));
    postgres.start();
    const std::uint64_t published = stop_ingest(ingest);
    REQUIRE(eventually([&] { return mdp::test::unacknowledged(server) == 0; }, 90s));
    REQUIRE(store.stop() == 0);
    check_stored_once(postgres, published);
}

TEST_CASE("nats transport: messages the store cannot read are counted and logged with their subject, never a crash",
          "[nats][host]") {
    MDP_REQUIRE_NATS_SERVER();
    NatsServer server;
    SyntheticHost ingest(mdp::test::ingest_host_options(server, 200));  // creates the stream
    SyntheticHost store(mdp::test::store_host_options(server));
    INFO(store.output());
    const mdp::test::StreamReader client(server.url());
    client.publish("mdp.events.x.trade.NOHEADER", {}, "payload");
    client.publish("mdp.events.x.trade.CSV", {{"Mdp-Format", "text/csv"}}, "a,b,c");
    client.publish("mdp.events.x.trade.CUT", {{"Mdp-Format", "mdp.events.bin/1"}}, "MDPB");
    client.publish("mdp.events.x.trade.FUTURE", {{"Mdp-Format", "mdp.events.bin/7"}}, "from a newer host");
    // Terminated: the three no reader can decode. Kept (nakked with a delay, delivered again):
    // the newer version, which a newer store replica could read.
    REQUIRE(eventually(
        [&] {
            const json status = store.status();
            return mdp::test::store_counter(status, "terminated") == 3 && mdp::test::store_counter(status, "kept") >= 2;
        },
        30s));
    CHECK_THAT(store.output(),
               Catch::Contains("message on mdp.events.x.trade.NOHEADER terminated: no Mdp-Format header"));
    CHECK(mdp::test::store_counter(store.status(), "redelivered") >= 1);  // the kept one came back
    // Around them, the host stored everything it can read.
    const std::uint64_t published = stop_ingest(ingest);
    REQUIRE(eventually([&] { return mdp::test::first_sink_events_stored(store.status()) == published; }, 60s));
    REQUIRE(store.stop() == 0);
    const json store_summary = store.summary();  // iterated below: must outlive the loop
    for (const auto& [reason, count] : store_summary["providers"]["store"]["dropped_by_reason"].items()) {
        INFO("dropped for " << reason);
        CHECK(count == 0);
    }
}

TEST_CASE("nats provider: an unreachable server, wrong credentials or a missing consumer fail its start, named",
          "[nats][host]") {
    MDP_REQUIRE_NATS_SERVER();
    mdp::test::NatsServerOptions secured;
    secured.user = "store";
    secured.password = "right";
    NatsServer server(secured);
    const mdp::test::RefusingPort nothing_listening;
    json provider_config;
    std::string reason;
    SECTION("nothing listening") {
        const std::string url = "nats://127.0.0.1:" + std::to_string(nothing_listening.port());
        provider_config = {{"servers", {url}}, {"connect_attempts", 2}};
        reason = "cannot connect to " + url + " after 2 attempts";
    }
    SECTION("wrong credentials") {
        provider_config = {{"user", "store"}, {"password", "wrong"}};
        reason = "servers " + server.url() + " refused the credentials";
    }
    SECTION("consumer missing, creation off") {
        // The stream exists, as the ingest tier's sink creates it.
        auto sink = mdp::test::make_nats_sink(
            mdp::test::nats_sink_object(server.url(), {{"user", "store"}, {"password", "right"}}));
        sink->open(mdp::test::make_context());
        sink->close();
        provider_config = {{"user", "store"}, {"password", "right"}, {"create_consumer", false}};
        reason = "consumer store of stream MDP_TEST does not exist and create_consumer is false";
    }
    auto options = mdp::test::store_host_options(server, nullptr, provider_config);
    options.config_patch["providers"][0]["required"] = true;  // a failed start ends the host
    mdp::test::TempDir directory;
    const auto config = directory.write_file(
        "mdp.json", mdp::test::synthetic_host_config(options, 0, directory / "unused.sqlite").dump(2));
    const auto run = mdp::test::run_to_completion(MDP_HOST_BINARY, {"--config", config.string()}, 60s);
    INFO(run.output);
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.output, Catch::Contains("provider store") && Catch::Contains(reason));
}

TEST_CASE("nats provider: a stream that does not exist yet is waited for, named, and read once it appears",
          "[nats][host]") {
    MDP_REQUIRE_NATS_SERVER();
    NatsServer server;
    SyntheticHost store(mdp::test::store_host_options(server));
    INFO(store.output());
    REQUIRE(eventually(
        [&] {
            const json provider = store.provider("store");
            return provider["state"] == "degraded" && provider["detail"].get<std::string>().find(
                                                          "stream MDP_TEST does not exist yet") != std::string::npos;
        },
        30s));
    CHECK(store.get("/ready").status == 200);  // waiting is not a failure of this host
    SyntheticHost ingest(mdp::test::ingest_host_options(server, 200));
    REQUIRE(eventually([&] { return store.provider("store")["state"] == "running"; }, 30s));
    const std::uint64_t published = stop_ingest(ingest);
    REQUIRE(eventually([&] { return mdp::test::first_sink_events_stored(store.status()) == published; }, 60s));
    REQUIRE(store.stop() == 0);
}
