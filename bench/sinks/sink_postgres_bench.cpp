// Rows per second through the postgres sink into a local PostgreSQL, against the baseline of
// `psql -c "\copy quotes (...) FROM 'rows.csv' WITH (FORMAT csv)"` loading the same rows into
// the same table, in the same run and on the same server. Runs alternate (baseline, sink,
// coordinator, baseline, ...) with the table truncated before each, and the median of each
// side is compared. psql loads everything in one transaction. Two sink sides:
//  - sink: PostgresSink::write() called directly with batches of --batch events, each its own
//    transaction (what the store coordinator did before group commit with batch_size N);
//  - coordinator: the whole store path at the default store config and default sink options:
//    a producer thread pushes the rows into a StoreQueue in publishes of 256, the
//    StoreCoordinator drains them into the sink with group commit (batches as large as the
//    sink prefers under this backlog); timed from the first push until the last row is
//    committed.
//
//   build/bench/sink_postgres_bench [--rows N] [--batch N] [--runs N] [--durable]
//                                   [--conninfo STRING]
//
// Without --conninfo a throwaway server is started in a temp dir (fsync off unless
// --durable). With --conninfo the tables of that database are used (and truncated!).

#include "pipeline/backpressure_controller.hpp"
#include "pipeline/store_coordinator.hpp"
#include "pipeline/store_queue.hpp"
#include "postgres_server.hpp"
#include "sinks/postgres/postgres_sink.hpp"
#include "temp_dir.hpp"
#include "median.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Arguments {
    std::size_t rows = 200'000;
    std::size_t batch = 500;
    int runs = 3;
    bool durable = false;
    std::string conninfo;
};

Arguments parse_arguments(int argc, char** argv) {
    Arguments arguments;
    for (int index = 1; index < argc; ++index) {
        const std::string flag = argv[index];
        const auto value = [&]() -> std::string {
            if (index + 1 >= argc) {
                std::fprintf(stderr, "%s needs a value\n", flag.c_str());
                std::exit(2);
            }
            return argv[++index];
        };
        if (flag == "--rows") {
            arguments.rows = std::stoul(value());
        } else if (flag == "--batch") {
            arguments.batch = std::max<std::size_t>(1, std::stoul(value()));
        } else if (flag == "--runs") {
            arguments.runs = std::max(1, std::stoi(value()));
        } else if (flag == "--durable") {
            arguments.durable = true;
        } else if (flag == "--conninfo") {
            arguments.conninfo = value();
        } else {
            std::fprintf(stderr, "usage: %s [--rows N] [--batch N] [--runs N] [--durable] [--conninfo STRING]\n",
                         argv[0]);
            std::exit(2);
        }
    }
    return arguments;
}

const char* kSymbols[] = {"AAPL", "MSFT", "GOOG", "AMZN", "NVDA", "META", "TSLA", "BRK.B"};

std::vector<mdp::pipeline::StoreEvent> make_quotes(std::size_t count) {
    std::vector<mdp::pipeline::StoreEvent> events(count);
    const std::int64_t start_ns = 1'700'000'000'000'000'000;
    for (std::size_t index = 0; index < count; ++index) {
        auto& record = events[index];
        record.event.size = sizeof(mdp_event_t);
        record.event.type = MDP_EVENT_QUOTE;
        record.event.event_time_ns = start_ns + static_cast<std::int64_t>(index) * 1'000'123;
        record.event.receive_time_ns = record.event.event_time_ns + 250'000;
        std::strncpy(record.event.symbol, kSymbols[index % 8], MDP_SYMBOL_CAPACITY - 1);
        const double mid = 100.0 + static_cast<double>(index % 1000) * 0.01;
        record.event.body.quote = {mid - 0.01, mid + 0.01, 100.0 + static_cast<double>(index % 7), 200.0, mid};
        record.sequence = index + 1;
        record.provider_id = 0;
    }
    return events;
}

// The same rows as CSV in the table's column order, as a DBA's bulk load would have them.
void write_csv(const std::filesystem::path& path, const std::vector<mdp::pipeline::StoreEvent>& events,
               const std::string& run_id) {
    std::ofstream out(path);
    char line[512];
    for (const auto& record : events) {
        const auto& event = record.event;
        const std::int64_t seconds = event.event_time_ns / 1'000'000'000;
        const std::int64_t micros = (event.event_time_ns % 1'000'000'000) / 1000;
        const auto& quote = event.body.quote;
        // ts as epoch seconds + fraction through to_timestamp would cost a function call per
        // row; an ISO literal is what a CSV export holds.
        const std::time_t time = seconds;
        std::tm utc{};
        gmtime_r(&time, &utc);
        char timestamp[64];
        std::strftime(timestamp, sizeof(timestamp), "%Y-%m-%d %H:%M:%S", &utc);
        std::snprintf(line, sizeof(line), "%s.%06lld+00,bench,%s,%llu,%s,%.17g,%.17g,%.17g,%.17g,%.17g,f,f,%lld,%lld\n",
                      timestamp, static_cast<long long>(micros), run_id.c_str(),
                      static_cast<unsigned long long>(record.sequence), event.symbol, quote.bid, quote.ask,
                      quote.bid_size, quote.ask_size, quote.last, static_cast<long long>(event.event_time_ns),
                      static_cast<long long>(event.receive_time_ns));
        out << line;
    }
}

struct Psql {
    std::string program;
    std::string conninfo;

    mdp::test::RunResult run(const std::string& command) const {
        return mdp::test::run_to_completion(program,
                                            {"-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-c", command},
                                            std::chrono::minutes(30));
    }
    void must(const std::string& command) const {
        const auto result = run(command);
        if (result.exit_code != 0) {
            throw std::runtime_error("psql failed: " + command + ": " + result.output);
        }
    }
};

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// The store path at its defaults: queue, backpressure controller, coordinator, one postgres
// sink. Returns rows per second from the first push until the coordinator has drained all.
double through_coordinator(const std::vector<mdp::pipeline::StoreEvent>& events, const std::string& conninfo,
                           const std::string& run_id, std::size_t* largest_batch) {
    const mdp::config::StoreConfig store;  // the defaults, as an empty "store" section gives
    mdp::pipeline::StoreQueue queue(store.queue_capacity, store.overflow_policy);
    mdp::pipeline::BackpressureController controller(store.queue_capacity,
                                                     mdp::pipeline::watermarks_for(store.queue_capacity, 0.5, 0.8),
                                                     "bench", [&] { return queue.depth(); });
    mdp::sinks::PostgresSinkOptions options;
    options.connection.conninfo = conninfo;
    std::vector<std::unique_ptr<mdp::sinks::Sink>> sinks;
    sinks.push_back(std::make_unique<mdp::sinks::PostgresSink>("bench", options));
    mdp::pipeline::StoreCoordinator coordinator(queue, controller, std::move(sinks), store);
    coordinator.open_sinks({run_id, {"bench"}});
    coordinator.start();
    const auto started = Clock::now();
    constexpr std::size_t kPublish = 256;
    for (std::size_t offset = 0; offset < events.size(); offset += kPublish) {
        const std::size_t length = std::min(kPublish, events.size() - offset);
        queue.push(length, [&](mdp::pipeline::StoreEvent& slot, std::size_t index) { slot = events[offset + index]; });
    }
    queue.close();
    if (coordinator.drain_and_stop() != 0) {
        throw std::runtime_error("the coordinator did not store every row");
    }
    const double rate = static_cast<double>(events.size()) / seconds_since(started);
    const auto sinks_seen = coordinator.sink_snapshots();
    *largest_batch = coordinator.batching_limits().max_batch_size;
    if (sinks_seen.empty() || sinks_seen[0].events_stored != events.size()) {
        throw std::runtime_error("the coordinator stored fewer rows than pushed");
    }
    return rate;
}

}  // namespace

int main(int argc, char** argv) {
    const Arguments arguments = parse_arguments(argc, argv);
    spdlog::set_level(spdlog::level::warn);

    std::unique_ptr<mdp::test::PostgresServer> server;
    std::string conninfo = arguments.conninfo;
    std::string psql_program = "psql";
    if (const auto bin_dir = mdp::test::PostgresServer::find_bin_dir()) {
        psql_program = (*bin_dir / "psql").string();
    }
    if (conninfo.empty()) {
        server = std::make_unique<mdp::test::PostgresServer>(mdp::test::PostgresServerOptions{arguments.durable});
        server->create_database("bench");
        conninfo = server->conninfo("bench");
    }
    const Psql psql{psql_program, conninfo};

    const std::string run_id = "bench-run";
    const auto events = make_quotes(arguments.rows);
    mdp::test::TempDir scratch("mdp-sink-bench");
    const auto csv = scratch / "quotes.csv";
    write_csv(csv, events, run_id);

    mdp::sinks::PostgresSinkOptions options;
    options.connection.conninfo = conninfo;
    mdp::sinks::PostgresSink sink("bench", options);
    sink.open({run_id, {"bench"}});  // creates the tables

    const std::string copy_command =
        "\\copy quotes (ts, provider, run_id, seq, symbol, bid, ask, bid_size, ask_size, last, delayed, snapshot, "
        "event_time_ns, receive_time_ns) FROM '" +
        csv.string() + "' WITH (FORMAT csv)";
    const std::string count_sql = "SELECT count(*) FROM quotes";

    std::vector<double> baseline_rates;
    std::vector<double> sink_rates;
    std::vector<double> coordinator_rates;
    std::size_t coordinator_batch = 0;
    for (int run = 0; run < arguments.runs; ++run) {
        psql.must("TRUNCATE quotes; CHECKPOINT");
        auto started = Clock::now();
        psql.must(copy_command);
        baseline_rates.push_back(static_cast<double>(arguments.rows) / seconds_since(started));

        psql.must("TRUNCATE quotes; CHECKPOINT");
        started = Clock::now();
        for (std::size_t offset = 0; offset < events.size(); offset += arguments.batch) {
            const std::size_t length = std::min(arguments.batch, events.size() - offset);
            sink.write(std::span<const mdp::pipeline::StoreEvent>(events.data() + offset, length));
        }
        sink_rates.push_back(static_cast<double>(arguments.rows) / seconds_since(started));
        const auto stored = psql.run(count_sql);

        psql.must("TRUNCATE quotes; CHECKPOINT");
        coordinator_rates.push_back(through_coordinator(events, conninfo, run_id, &coordinator_batch));
        const auto stored_by_coordinator = psql.run(count_sql);
        const auto trimmed = [](const std::string& text) {
            return text.empty() ? std::string("?") : text.substr(0, text.find_last_not_of(" \n") + 1);
        };
        std::printf(
            "run %d: psql \\copy %.0f rows/s, sink %.0f rows/s, coordinator %.0f rows/s (rows in table after the "
            "sink / coordinator run: %s / %s)\n",
            run + 1, baseline_rates.back(), sink_rates.back(), coordinator_rates.back(), trimmed(stored.output).c_str(),
            trimmed(stored_by_coordinator.output).c_str());
        std::fflush(stdout);
    }
    sink.close();

    const double baseline = mdp::bench::median(baseline_rates);
    const double through_sink = mdp::bench::median(sink_rates);
    const double coordinated = mdp::bench::median(coordinator_rates);
    std::printf("\nrows %zu, sink batch %zu, runs %d, server %s\n", arguments.rows, arguments.batch, arguments.runs,
                arguments.conninfo.empty() ? (arguments.durable ? "temporary (fsync on)" : "temporary (fsync off)")
                                           : "external");
    std::printf("median psql \\copy (baseline): %12.0f rows/s\n", baseline);
    std::printf("median postgres sink:          %12.0f rows/s\n", through_sink);
    std::printf("ratio sink / baseline:         %12.2f\n", through_sink / baseline);
    std::printf("median coordinator (defaults, batches up to %zu): %12.0f rows/s\n", coordinator_batch, coordinated);
    std::printf("ratio coordinator / baseline:  %12.2f\n", coordinated / baseline);
    return 0;
}
