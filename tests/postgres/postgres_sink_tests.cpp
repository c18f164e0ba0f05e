// The postgres sink writing into a real PostgreSQL: COPY in one transaction, every field,
// idempotent retries, bar upserts.

#include "postgres_server.hpp"
#include "sink_test_events.hpp"
#include "sinks/postgres/postgres_sink.hpp"
#include "sinks/sink_registry.hpp"

#include <catch2/catch.hpp>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>
#include <memory>

using mdp::sinks::PostgresSink;
using mdp::sinks::PostgresSinkOptions;
using mdp::sinks::PostgresWritePath;
using mdp::test::PostgresServer;

namespace {

PostgresSinkOptions options_for(const std::string& conninfo) {
    PostgresSinkOptions options;
    options.connection.conninfo = conninfo;
    return options;
}

long count(const PostgresServer& server, const std::string& sql, const std::string& database = "mdp") {
    return std::stol(server.query(sql, database));
}

}  // namespace

TEST_CASE("postgres sink creates its schema and stores every field", "[postgres]") {
    PostgresServer server;
    server.create_database("mdp");
    PostgresSink sink("pg", options_for(server.conninfo("mdp")));
    sink.open(mdp::test::make_context("run-1", {"synthetic", "ibkr"}));

    auto batch = mdp::test::make_mixed_batch(3, 2, 2);
    batch[0].provider_id = 1;
    batch[0].event.flags = MDP_EVENT_FLAG_DELAYED;
    batch[1].event.body.quote.ask = std::numeric_limits<double>::quiet_NaN();
    batch[3].event.event_time_ns = 1'700'000'000'123'456'789;
    sink.write(batch);

    CHECK(count(server, "SELECT count(*) FROM quotes") == 3);
    CHECK(count(server, "SELECT count(*) FROM trades") == 2);
    CHECK(count(server, "SELECT count(*) FROM bars_ohlcv") == 2);
    CHECK(server.query("SELECT provider || ',' || run_id || ',' || seq || ',' || symbol || ',' || delayed || ',' || "
                       "snapshot || ',' || bid || ',' || ask || ',' || bid_size || ',' || ask_size || ',' || last "
                       "FROM quotes WHERE seq = 1",
                       "mdp") == "ibkr,run-1,1,AAPL,true,false,100,100.02,100,200,100.01");
    CHECK(count(server, "SELECT count(*) FROM quotes WHERE seq = 2 AND ask IS NULL AND bid IS NOT NULL") == 1);
    CHECK(server.query("SELECT event_time_ns || ',' || receive_time_ns || ',' || "
                       "to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM trades WHERE seq = 4",
                       "mdp") == "1700000000123456789,1700000000000004500,2023-11-14 22:13:20.123456");
    CHECK(server.query("SELECT price || ',' || size || ',' || exchange || ',' || conditions FROM trades WHERE seq = 5",
                       "mdp") == "200,10,NASDAQ,@");
    CHECK(
        server.query("SELECT provider || ',' || symbol || ',' || \"interval\" || ',' || open || ',' || high || ',' || "
                     "low || ',' || close || ',' || volume || ',' || vwap || ',' || trade_count || ',' || "
                     "interval_ns || ',' || seq FROM bars_ohlcv WHERE seq = 6",
                     "mdp") == "synthetic,AAPL,00:00:05,49,51,48,50,1000,49.5,42,5000000000,6");
    CHECK(count(server, "SELECT extract(epoch FROM ts)::bigint FROM bars_ohlcv WHERE seq = 7") ==
          batch[6].event.event_time_ns / 1'000'000'000);

    const auto stats = sink.stats();
    CHECK(stats.rows_by_table.at("quotes") == 3);
    CHECK(stats.rows_by_table.at("trades") == 2);
    CHECK(stats.rows_by_table.at("bars_ohlcv") == 2);
    CHECK(stats.circuit_state == "closed");
    CHECK(sink.last_write_path() == PostgresWritePath::direct_copy);
    sink.close();
}

TEST_CASE("postgres sink writes a batch in one transaction", "[postgres]") {
    PostgresServer server;
    server.create_database("mdp");
    PostgresSink sink("pg", options_for(server.conninfo("mdp")));
    sink.open(mdp::test::make_context());
    // A DBA-side constraint that the batch's last trade violates: nothing of the batch may stay.
    server.query("ALTER TABLE trades ADD CONSTRAINT positive_price CHECK (price > 0)", "mdp");
    auto batch = mdp::test::make_mixed_batch(5, 3, 1);
    batch[7].event.body.trade.price = -1.0;
    CHECK_THROWS_AS(sink.write(batch), mdp::sinks::SinkError);
    CHECK(count(server, "SELECT count(*) FROM quotes") == 0);
    CHECK(count(server, "SELECT count(*) FROM trades") == 0);
    CHECK(count(server, "SELECT count(*) FROM bars_ohlcv") == 0);
    CHECK(sink.stats().errors_by_kind.at("server") == 1);  // one attempt per write()

    server.query("ALTER TABLE trades DROP CONSTRAINT positive_price", "mdp");
    sink.write(batch);  // the coordinator's retry
    CHECK(count(server, "SELECT count(*) FROM quotes") == 5);
    CHECK(count(server, "SELECT count(*) FROM trades") == 3);
    CHECK(count(server, "SELECT count(*) FROM bars_ohlcv") == 1);
}

TEST_CASE("postgres sink stores a replayed batch once", "[postgres]") {
    PostgresServer server;
    server.create_database("mdp");
    PostgresSink sink("pg", options_for(server.conninfo("mdp")));
    sink.open(mdp::test::make_context("run-1"));
    const auto first = mdp::test::make_mixed_batch(20, 10, 3);
    sink.write(first);

    SECTION("the same batch again") {
        sink.write(first);
        CHECK(sink.last_write_path() == PostgresWritePath::staged_merge);
        CHECK(sink.stats().errors_by_kind.at("duplicate") == 1);
    }
    SECTION("a batch overlapping the stored one") {
        auto overlapping = mdp::test::make_mixed_batch(20, 10, 3, 21);  // seq 21..53 are new
        overlapping.insert(overlapping.begin(), first.begin() + 10, first.begin() + 20);  // seq 11..20 are not
        sink.write(overlapping);
        CHECK(count(server, "SELECT count(*) FROM quotes") == 40);
        CHECK(count(server, "SELECT count(*) FROM trades") == 20);
        CHECK(count(server, "SELECT count(*) FROM bars_ohlcv") == 6);
        return;
    }
    SECTION("another sink instance of the same run (a restarted writer)") {
        PostgresSink again("pg", options_for(server.conninfo("mdp")));
        again.open(mdp::test::make_context("run-1"));
        again.write(first);
        CHECK(again.stats().rows_by_table.at("quotes") == 0);
    }
    CHECK(count(server, "SELECT count(*) FROM quotes") == 20);
    CHECK(count(server, "SELECT count(*) FROM trades") == 10);
    CHECK(count(server, "SELECT count(*) FROM bars_ohlcv") == 3);
    CHECK(count(server, "SELECT count(DISTINCT seq) FROM quotes") == 20);

    // Another run reuses sequence numbers: those are new events.
    PostgresSink next_run("pg", options_for(server.conninfo("mdp")));
    next_run.open(mdp::test::make_context("run-2"));
    next_run.write(first);
    CHECK(count(server, "SELECT count(*) FROM quotes") == 40);
}

TEST_CASE("postgres sink keys an event published with an identity on its origin: a redelivery is a no-op",
          "[postgres]") {
    PostgresServer server;
    server.create_database("mdp");
    // Two store hosts relay the same events (a redelivery): each its own run id and publish
    // sequences, the same origin identities.
    for (const auto& [run_id, first_sequence] : {std::pair<std::string, std::uint64_t>{"store-run-1", 1},
                                                 std::pair<std::string, std::uint64_t>{"store-run-2", 50}}) {
        const auto relayed = mdp::test::make_relayed_batch(run_id, first_sequence);
        PostgresSink store_host("pg", options_for(server.conninfo("mdp")));
        store_host.open(relayed.context);
        store_host.write(relayed.events);
        store_host.close();
    }

    CHECK(count(server, "SELECT count(*) FROM quotes") == 3);
    CHECK(count(server, "SELECT count(*) FROM trades") == 2);
    CHECK(count(server,
                "SELECT count(*) FROM quotes WHERE provider = 'ingest-a' AND run_id = 'ingest-run-9' AND "
                "seq BETWEEN 100 AND 102") == 3);
    CHECK(count(server,
                "SELECT count(*) FROM trades WHERE provider = 'ingest-a' AND run_id = 'ingest-run-9' AND "
                "seq BETWEEN 103 AND 104") == 2);
}

TEST_CASE("postgres sink upserts bars on provider, symbol, interval and start", "[postgres]") {
    PostgresServer server;
    server.create_database("mdp");
    PostgresSink sink("pg", options_for(server.conninfo("mdp")));
    sink.open(mdp::test::make_context());
    const std::int64_t start_ns = 1'700'000'000'000'000'000;
    sink.write(std::vector{mdp::test::make_bar(1, start_ns, 10.0)});
    sink.write(std::vector{mdp::test::make_bar(2, start_ns, 11.0),  // same key, later: replaces
                           mdp::test::make_bar(3, start_ns, 12.0),  // same key again in one batch: last wins
                           mdp::test::make_bar(4, start_ns, 13.0, "MSFT"),
                           mdp::test::make_bar(5, start_ns, 14.0, "AAPL", 60'000'000'000)});
    CHECK(count(server, "SELECT count(*) FROM bars_ohlcv") == 3);
    CHECK(server.query("SELECT close || ',' || seq FROM bars_ohlcv WHERE symbol = 'AAPL' AND \"interval\" = "
                       "interval '5 seconds'",
                       "mdp") == "12,3");
    CHECK(count(server, "SELECT count(*) FROM bars_ohlcv WHERE \"interval\" = interval '1 minute'") == 1);
}

TEST_CASE("postgres sink keeps invalid UTF-8 from poisoning a batch", "[postgres]") {
    PostgresServer server;
    server.create_database("mdp");
    PostgresSink sink("pg", options_for(server.conninfo("mdp")));
    sink.open(mdp::test::make_context());
    sink.write(std::vector{mdp::test::make_quote(1, "BAD\xFF"), mdp::test::make_trade(2, "\xC3\xA9")});
    CHECK(server.query("SELECT symbol FROM quotes", "mdp") == "BAD\xEF\xBF\xBD");
    CHECK(server.query("SELECT symbol FROM trades", "mdp") == "\xC3\xA9");
}

TEST_CASE("postgres sink writes into a configured schema created through the factory", "[postgres]") {
    PostgresServer server;
    server.create_database("mdp");
    const auto config = mdp::test::make_sink_config(
        {{"type", "postgres"}, {"name", "warehouse"}, {"conninfo", server.conninfo("mdp")}, {"schema", "market data"}});
    auto sink = mdp::sinks::create_sink(config);
    sink->open(mdp::test::make_context());
    sink->write(mdp::test::make_mixed_batch(2, 1, 1));
    CHECK(count(server, "SELECT count(*) FROM \"market data\".quotes") == 2);
    CHECK(count(server, "SELECT count(*) FROM \"market data\".bars_ohlcv") == 1);
    CHECK(server.query("SELECT to_regclass('public.quotes') IS NULL", "mdp") == "t");
}

TEST_CASE("postgres sink accepts its retired retry keys with a logged notice, and still checks them", "[postgres]") {
    const auto ring = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(20);
    struct DefaultLoggerRestore {
        std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
        ~DefaultLoggerRestore() { spdlog::set_default_logger(previous); }
    } restore;
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("postgres-options-test", ring));
    const auto origin = std::make_shared<mdp::config::ConfigOrigin>();
    origin->file = "mdp.json";
    const auto read = [&](const nlohmann::json& sink) {
        mdp::config::JsonNode node(sink, "store.sinks[0]", origin);
        static_cast<void>(mdp::sinks::read_postgres_sink_options(node));
        node.finish();  // no key left unread
    };

    read({{"retry_attempts", 2}, {"retry_initial_backoff_ms", 20}, {"retry_max_backoff_ms", 100}});
    const auto lines = ring->last_formatted();
    for (const std::string key : {"retry_attempts", "retry_initial_backoff_ms", "retry_max_backoff_ms"}) {
        INFO(key);
        CHECK(std::count_if(lines.begin(), lines.end(), [&](const std::string& line) {
                  return line.find("store.sinks[0]." + key + " is deprecated and ignored") != std::string::npos;
              }) == 1);
    }
    CHECK_THROWS_WITH(read({{"retry_attempts", 0}}), Catch::Contains("store.sinks[0].retry_attempts"));
}
