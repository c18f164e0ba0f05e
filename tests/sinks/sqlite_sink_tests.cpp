// The sqlite sink against real database files in temp dirs.

#include "sink_test_events.hpp"
#include "sinks/sink_registry.hpp"
#include "sinks/sqlite/sqlite_sink.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <cmath>
#include <limits>

using mdp::sinks::SinkError;
using mdp::sinks::SqliteSink;
using mdp::sinks::SqliteSinkOptions;

namespace {

// A second, independent connection to the same file, as another process would have.
class Observer {
   public:
    explicit Observer(const std::filesystem::path& path) { REQUIRE(sqlite3_open(path.c_str(), &handle_) == SQLITE_OK); }
    ~Observer() { sqlite3_close(handle_); }
    Observer(const Observer&) = delete;
    Observer& operator=(const Observer&) = delete;

    std::int64_t count(const std::string& sql) {
        sqlite3_stmt* statement = nullptr;
        REQUIRE(sqlite3_prepare_v2(handle_, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
        const std::int64_t value = sqlite3_column_int64(statement, 0);
        sqlite3_finalize(statement);
        return value;
    }
    double real(const std::string& sql) {
        sqlite3_stmt* statement = nullptr;
        REQUIRE(sqlite3_prepare_v2(handle_, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
        const double value = sqlite3_column_double(statement, 0);
        sqlite3_finalize(statement);
        return value;
    }
    int execute(const std::string& sql) { return sqlite3_exec(handle_, sql.c_str(), nullptr, nullptr, nullptr); }

   private:
    sqlite3* handle_ = nullptr;
};

SqliteSinkOptions options_for(const std::filesystem::path& path, std::int64_t busy_timeout_ms = 1000) {
    SqliteSinkOptions options;
    options.path = path;
    options.busy_timeout_ms = busy_timeout_ms;
    return options;
}

}  // namespace

TEST_CASE("sqlite sink creates its tables and parent directories", "[sinks][sqlite]") {
    mdp::test::TempDir dir;
    const auto path = dir / "nested/dir/mdp.sqlite";
    SqliteSink sink("main", options_for(path));
    sink.open(mdp::test::make_context());
    CHECK(std::filesystem::exists(path));

    Observer observer(path);
    CHECK(observer.count(
              "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('quotes','trades','bars')") == 3);
    CHECK(observer.count("SELECT count(*) FROM pragma_table_info('bars') WHERE name IN "
                         "('provider','symbol','interval_ns','ts','open','high','low','close','volume','vwap',"
                         "'trade_count','run_id','seq','receive_time_ns','delayed','snapshot')") == 16);
    CHECK(observer.count("SELECT count(*) FROM pragma_table_info('quotes') WHERE name IN "
                         "('provider','run_id','seq','symbol','event_time_ns','receive_time_ns','delayed','snapshot',"
                         "'bid','ask','bid_size','ask_size','last')") == 13);
    CHECK(observer.count("SELECT count(*) FROM pragma_table_info('trades') WHERE name IN "
                         "('provider','run_id','seq','symbol','event_time_ns','receive_time_ns','delayed','snapshot',"
                         "'price','size','exchange','conditions')") == 12);
    sink.close();
}

TEST_CASE("sqlite sink stores each event type in its table with all fields", "[sinks][sqlite]") {
    mdp::test::TempDir dir;
    const auto path = dir / "mdp.sqlite";
    SqliteSink sink("main", options_for(path));
    sink.open(mdp::test::make_context("run-a", {"first", "second"}));

    auto batch = mdp::test::make_mixed_batch(7, 5, 3);
    batch[0].provider_id = 1;
    batch[0].event.flags = MDP_EVENT_FLAG_DELAYED | MDP_EVENT_FLAG_SNAPSHOT;
    batch[1].event.body.quote.bid = std::numeric_limits<double>::quiet_NaN();
    sink.write(batch);
    sink.close();

    Observer observer(path);
    CHECK(observer.count("SELECT count(*) FROM quotes") == 7);
    CHECK(observer.count("SELECT count(*) FROM trades") == 5);
    CHECK(observer.count("SELECT count(*) FROM bars") == 3);
    CHECK(observer.count("SELECT count(*) FROM quotes WHERE provider = 'second' AND seq = 1 AND delayed = 1 "
                         "AND snapshot = 1 AND run_id = 'run-a'") == 1);
    CHECK(observer.count("SELECT count(*) FROM quotes WHERE seq = 2 AND bid IS NULL AND ask IS NOT NULL") == 1);
    CHECK(observer.count("SELECT event_time_ns FROM quotes WHERE seq = 3") == batch[2].event.event_time_ns);
    CHECK(observer.count("SELECT count(*) FROM trades WHERE exchange = 'NASDAQ' AND conditions = '@' "
                         "AND price = 200.0 AND size = 10.0") == 5);
    CHECK(observer.count("SELECT count(*) FROM bars WHERE interval_ns = 5000000000 AND trade_count = 42 "
                         "AND close = 50.0 AND vwap = 49.5 AND provider = 'first'") == 3);
    CHECK(observer.count("SELECT ts FROM bars WHERE seq = 13") == batch[12].event.event_time_ns);
}

TEST_CASE("sqlite sink stores a retried batch once", "[sinks][sqlite]") {
    mdp::test::TempDir dir;
    const auto path = dir / "mdp.sqlite";
    SqliteSink sink("main", options_for(path));
    sink.open(mdp::test::make_context());
    const auto batch = mdp::test::make_mixed_batch(10, 10, 4);
    sink.write(batch);
    sink.write(batch);  // as after an ambiguous failure

    Observer observer(path);
    CHECK(observer.count("SELECT count(*) FROM quotes") == 10);
    CHECK(observer.count("SELECT count(*) FROM trades") == 10);
    CHECK(observer.count("SELECT count(*) FROM bars") == 4);

    SECTION("the same sequence numbers in another run are new events") {
        SqliteSink next_run("main", options_for(path));
        next_run.open(mdp::test::make_context("run-2"));
        next_run.write(batch);
        CHECK(observer.count("SELECT count(*) FROM quotes") == 20);
        CHECK(observer.count("SELECT count(*) FROM trades") == 20);
        CHECK(observer.count("SELECT count(*) FROM bars") == 4);  // same natural keys: replaced
    }
    sink.close();
}

TEST_CASE("sqlite sink keys an event published with an identity on its origin: a redelivery is a no-op",
          "[sinks][sqlite]") {
    mdp::test::TempDir dir;
    const auto path = dir / "mdp.sqlite";
    // Two store hosts relay the same events (a redelivery): each its own run id and publish
    // sequences, the same origin identities.
    for (const auto& [run_id, first_sequence] : {std::pair<std::string, std::uint64_t>{"store-run-1", 1},
                                                 std::pair<std::string, std::uint64_t>{"store-run-2", 50}}) {
        const auto relayed = mdp::test::make_relayed_batch(run_id, first_sequence);
        SqliteSink store_host("main", options_for(path));
        store_host.open(relayed.context);
        store_host.write(relayed.events);
        store_host.close();
    }

    Observer observer(path);
    CHECK(observer.count("SELECT count(*) FROM quotes") == 3);
    CHECK(observer.count("SELECT count(*) FROM trades") == 2);
    CHECK(observer.count("SELECT count(*) FROM quotes WHERE provider = 'ingest-a' AND run_id = 'ingest-run-9' AND "
                         "seq BETWEEN 100 AND 102") == 3);
    CHECK(observer.count("SELECT count(*) FROM trades WHERE provider = 'ingest-a' AND run_id = 'ingest-run-9' AND "
                         "seq BETWEEN 103 AND 104") == 2);
}

TEST_CASE("sqlite sink upserts bars on provider, symbol, interval and start", "[sinks][sqlite]") {
    mdp::test::TempDir dir;
    const auto path = dir / "mdp.sqlite";
    SqliteSink sink("main", options_for(path));
    sink.open(mdp::test::make_context());
    const std::int64_t start_ns = 1'700'000'000'000'000'000;
    sink.write(std::vector{mdp::test::make_bar(1, start_ns, 10.0)});
    sink.write(std::vector{mdp::test::make_bar(2, start_ns, 11.0),  // same key: update
                           mdp::test::make_bar(3, start_ns, 12.0, "MSFT"),  // other symbol
                           mdp::test::make_bar(4, start_ns, 13.0, "AAPL", 60'000'000'000)});  // other interval

    Observer observer(path);
    CHECK(observer.count("SELECT count(*) FROM bars") == 3);
    CHECK(observer.real("SELECT close FROM bars WHERE symbol = 'AAPL' AND interval_ns = 5000000000") == 11.0);
    CHECK(observer.count("SELECT seq FROM bars WHERE symbol = 'AAPL' AND interval_ns = 5000000000") == 2);
    CHECK(sink.stats().rows_by_table.at("bars") == 4);
}

TEST_CASE("sqlite sink reports a held lock as SinkError and recovers when it is released", "[sinks][sqlite]") {
    mdp::test::TempDir dir;
    const auto path = dir / "mdp.sqlite";
    SqliteSink sink("main", options_for(path, 50));
    sink.open(mdp::test::make_context());
    sink.write(mdp::test::make_mixed_batch(1, 0, 0));

    Observer locker(path);
    REQUIRE(locker.execute("BEGIN EXCLUSIVE") == SQLITE_OK);
    const auto batch = mdp::test::make_mixed_batch(3, 2, 1, 100);
    REQUIRE_THROWS_AS(sink.write(batch), SinkError);
    REQUIRE_THROWS_WITH(sink.write(batch), Catch::Contains("database is locked"));
    CHECK(sink.stats().errors_by_kind.at("locked") == 2);
    REQUIRE(locker.execute("COMMIT") == SQLITE_OK);

    sink.write(batch);  // the coordinator's retry of the same batch
    Observer observer(path);
    CHECK(observer.count("SELECT count(*) FROM quotes") == 4);
    CHECK(observer.count("SELECT count(*) FROM trades") == 2);
    CHECK(observer.count("SELECT count(*) FROM bars") == 1);
}

TEST_CASE("sqlite sink opened while another connection holds the lock recovers on write", "[sinks][sqlite]") {
    mdp::test::TempDir dir;
    const auto path = dir / "mdp.sqlite";
    {
        Observer creator(path);
        REQUIRE(creator.execute("PRAGMA journal_mode = DELETE") == SQLITE_OK);
    }
    Observer locker(path);
    REQUIRE(locker.execute("BEGIN EXCLUSIVE") == SQLITE_OK);
    SqliteSink sink("main", options_for(path, 50));
    REQUIRE_THROWS_WITH(sink.open(mdp::test::make_context()), Catch::Contains("database is locked"));
    REQUIRE(locker.execute("COMMIT") == SQLITE_OK);

    sink.write(mdp::test::make_mixed_batch(2, 1, 0));
    Observer observer(path);
    CHECK(observer.count("SELECT count(*) FROM quotes") == 2);
    CHECK(observer.count("SELECT count(*) FROM trades") == 1);
}

TEST_CASE("sqlite sink counts rows per table", "[sinks][sqlite]") {
    mdp::test::TempDir dir;
    SqliteSink sink("main", options_for(dir / "mdp.sqlite"));
    sink.open(mdp::test::make_context());
    const auto batch = mdp::test::make_mixed_batch(4, 3, 2);
    sink.write(batch);
    sink.write(batch);
    const auto stats = sink.stats();
    CHECK(stats.rows_by_table.at("quotes") == 4);  // the repeat inserted nothing
    CHECK(stats.rows_by_table.at("trades") == 3);
    CHECK(stats.rows_by_table.at("bars") == 4);  // the repeat updated both bars
    CHECK(stats.circuit_state.empty());
}

// (synchronous is a per-connection setting, invisible to another connection, so only its
// validation is checked, in the sink factory tests.)
TEST_CASE("sqlite sink applies journal_mode", "[sinks][sqlite]") {
    mdp::test::TempDir dir;
    const auto path = dir / "mdp.sqlite";
    SECTION("defaults to WAL") {
        SqliteSink sink("main", options_for(path));
        sink.open(mdp::test::make_context());
        sqlite3_stmt* statement = nullptr;
        sqlite3* handle = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &handle) == SQLITE_OK);
        REQUIRE(sqlite3_prepare_v2(handle, "PRAGMA journal_mode", -1, &statement, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
        CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0))) == "wal");
        sqlite3_finalize(statement);
        sqlite3_close(handle);
    }
    SECTION("DELETE leaves no WAL file") {
        auto options = options_for(path);
        options.journal_mode = "DELETE";
        SqliteSink sink("main", options);
        sink.open(mdp::test::make_context());
        sink.write(mdp::test::make_mixed_batch(1, 0, 0));
        CHECK_FALSE(std::filesystem::exists(dir / "mdp.sqlite-wal"));
    }
}
