// Event latency, publish -> stored, of the real mdp-host at a steady rate, read from its own
// `mdp_event_latency_seconds` histogram: p50 and p99 over a measurement window (the bucket
// counts scraped after a warm-up, subtracted from those at the end, interpolated within a
// bucket as Prometheus' histogram_quantile does), and events stored per second.
//
// The host runs with the default store config (only the sink is set) and the synthetic
// provider (4 symbols, rate/4 events per second each). Several host binaries can be given,
// e.g. one built before a change and one after: every (run, sink, rate) measures them one
// after the other, so they share the machine's state and load.
//
//   build/bench/bench_event_latency [--host LABEL=PATH[,VAR=VALUE]...]... [--sinks sqlite,postgres,null]
//                                   [--rates 200,10000,200000] [--seconds 10] [--warmup 3]
//                                   [--runs 3]
//
// Without --host, this build's mdp-host is measured. VAR=VALUE pairs after the path are set in
// that host's environment, e.g. `--host wait200=build/bin/mdp-host,MDP__STORE__COALESCE_WAIT_US=200`
// measures a store setting the default config does not have; `isolation=process` (lowercase, not a
// variable) runs that host's provider out of process (docs/isolation.md), e.g.
// `--host in_process=build/bin/mdp-host --host isolated=build/bin/mdp-host,isolation=process`. Each binary loads the synthetic plugin
// from <binary's dir>/../plugins. `postgres` starts a throwaway durable PostgreSQL (fsync on,
// the server's default durability) with a fresh database per measurement.

#include "child_process.hpp"
#include "exposition_parser.hpp"
#include "host_runner.hpp"
#include "http_client.hpp"
#include "postgres_server.hpp"
#include "temp_dir.hpp"
#include "median.hpp"

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using mdp::test::ChildProcess;

struct HostBinary {
    std::string label;
    std::filesystem::path path;
    std::map<std::string, std::string> environment;
    std::string isolation = "in_process";  // the provider's "isolation"
};

struct Arguments {
    std::vector<HostBinary> hosts;
    std::vector<std::string> sinks{"sqlite", "postgres", "null"};
    std::vector<double> rates{200, 10'000, 200'000};
    int seconds = 10;
    int warmup_seconds = 3;
    int runs = 3;
};

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::stringstream stream(text);
    for (std::string part; std::getline(stream, part, separator);) {
        if (!part.empty()) {
            parts.push_back(part);
        }
    }
    return parts;
}

[[noreturn]] void usage(const char* program) {
    std::fprintf(stderr,
                 "usage: %s [--host LABEL=PATH]... [--sinks sqlite,postgres,null] [--rates 200,10000,200000] "
                 "[--seconds N] [--warmup N] [--runs N]\n",
                 program);
    std::exit(2);
}

Arguments parse_arguments(int argc, char** argv) {
    Arguments arguments;
    for (int index = 1; index < argc; ++index) {
        const std::string flag = argv[index];
        if (index + 1 >= argc) {
            usage(argv[0]);
        }
        const std::string value = argv[++index];
        if (flag == "--host") {
            const auto equals = value.find('=');
            if (equals == std::string::npos) {
                usage(argv[0]);
            }
            const auto parts = split(value.substr(equals + 1), ',');
            if (parts.empty()) {
                usage(argv[0]);
            }
            // Absolute: the host runs with a temporary directory as its working directory.
            HostBinary host{value.substr(0, equals), std::filesystem::absolute(parts[0]), {}, "in_process"};
            for (std::size_t part = 1; part < parts.size(); ++part) {
                const auto assignment = parts[part].find('=');
                if (assignment == std::string::npos) {
                    usage(argv[0]);
                }
                const std::string name = parts[part].substr(0, assignment);
                (name == "isolation" ? host.isolation : host.environment[name]) = parts[part].substr(assignment + 1);
            }
            arguments.hosts.push_back(std::move(host));
        } else if (flag == "--sinks") {
            arguments.sinks = split(value, ',');
        } else if (flag == "--rates") {
            arguments.rates.clear();
            for (const auto& rate : split(value, ',')) {
                arguments.rates.push_back(std::stod(rate));
            }
        } else if (flag == "--seconds") {
            arguments.seconds = std::max(1, std::stoi(value));
        } else if (flag == "--warmup") {
            arguments.warmup_seconds = std::max(0, std::stoi(value));
        } else if (flag == "--runs") {
            arguments.runs = std::max(1, std::stoi(value));
        } else {
            usage(argv[0]);
        }
    }
    if (arguments.hosts.empty()) {
        arguments.hosts.push_back({"this build", MDP_HOST_BINARY, {}, "in_process"});
    }
    return arguments;
}

// Cumulative bucket counts by upper bound (+Inf as infinity), from one /metrics document.
struct LatencyHistogram {
    std::vector<std::pair<double, double>> cumulative;  // (upper bound, count), ascending

    [[nodiscard]] double count() const { return cumulative.empty() ? 0.0 : cumulative.back().second; }
};

LatencyHistogram scrape_latency(unsigned short port) {
    const auto response = mdp::test::http_get(port, "/metrics");
    if (response.status != 200) {
        throw std::runtime_error("/metrics answered " + std::to_string(response.status));
    }
    const auto parsed = mdp::test::parse_exposition(response.body);
    LatencyHistogram histogram;
    for (const auto& sample : parsed.find("mdp_event_latency_seconds_bucket")) {
        const std::string& bound = sample.labels.at("le");
        histogram.cumulative.emplace_back(bound == "+Inf" ? HUGE_VAL : std::stod(bound), sample.value);
    }
    std::sort(histogram.cumulative.begin(), histogram.cumulative.end());
    return histogram;
}

LatencyHistogram difference(const LatencyHistogram& later, const LatencyHistogram& earlier) {
    LatencyHistogram result = later;
    for (std::size_t index = 0; index < result.cumulative.size() && index < earlier.cumulative.size(); ++index) {
        result.cumulative[index].second -= earlier.cumulative[index].second;
    }
    return result;
}

// As Prometheus' histogram_quantile: linear within the bucket holding the rank; a rank in
// the +Inf bucket gives the highest finite bound.
double quantile(const LatencyHistogram& histogram, double q) {
    const double rank = q * histogram.count();
    double lower_bound = 0.0;
    double lower_count = 0.0;
    for (const auto& [bound, count] : histogram.cumulative) {
        if (count >= rank && count > lower_count) {
            if (std::isinf(bound)) {
                return lower_bound;
            }
            return lower_bound + (bound - lower_bound) * (rank - lower_count) / (count - lower_count);
        }
        lower_bound = bound;
        lower_count = count;
    }
    return NAN;
}

// The floor under a durable database's commit on this disk: an 8 kB append plus fdatasync
// (PostgreSQL's default wal_sync_method on Linux), 200 times; returns {p50, p99} in ms.
std::pair<double, double> disk_flush_ms() {
    mdp::test::TempDir directory("mdp-latency-flush");
    const auto path = directory / "flush.bin";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd < 0) {
        throw std::runtime_error("cannot create " + path.string());
    }
    const std::vector<char> page(8192, 'x');
    std::vector<double> durations;
    for (int index = 0; index < 200; ++index) {
        const auto started = Clock::now();
        if (::write(fd, page.data(), page.size()) != static_cast<ssize_t>(page.size()) || ::fdatasync(fd) != 0) {
            ::close(fd);
            throw std::runtime_error("cannot write and flush " + path.string());
        }
        durations.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
    }
    ::close(fd);
    std::sort(durations.begin(), durations.end());
    return {durations[durations.size() / 2], durations[durations.size() * 99 / 100]};
}

std::string load_average() {
    std::ifstream file("/proc/loadavg");
    std::string one;
    std::string five;
    file >> one >> five;
    return one + " / " + five;
}

struct Measurement {
    double p50_ms = NAN;
    double p99_ms = NAN;
    double stored_per_second = 0.0;
};

class LatencyBench {
   public:
    explicit LatencyBench(Arguments arguments) : arguments_(std::move(arguments)) {}

    Measurement measure(const HostBinary& host, const std::string& sink, double rate) {
        mdp::test::TempDir directory("mdp-latency-bench");
        // Port 0: the host binds a free port and logs it; no probe-and-release race.
        const auto config = directory.write_file("mdp.json", config_for(host, sink, rate, 0, directory).dump(2));
        ChildProcess process(host.path.string(), {"--config", config.string()}, directory / "host.log",
                             host.environment);
        unsigned short port = 0;
        if (!mdp::test::eventually(
                [&] {
                    const auto bound = mdp::test::find_http_port(process.output());
                    port = bound.value_or(0);
                    try {
                        return bound && mdp::test::http_get(port, "/health", std::chrono::seconds(2)).status == 200;
                    } catch (const mdp::test::HttpClientError&) {
                        return false;
                    }
                },
                std::chrono::seconds(60))) {
            throw std::runtime_error(host.label + " did not start:\n" + process.output());
        }
        std::this_thread::sleep_for(std::chrono::seconds(arguments_.warmup_seconds));
        const auto before = scrape_latency(port);
        const auto started = Clock::now();
        std::this_thread::sleep_for(std::chrono::seconds(arguments_.seconds));
        const auto after = scrape_latency(port);
        const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
        process.signal(SIGTERM);
        if (const auto code = process.wait(std::chrono::seconds(120)); code != 0) {
            throw std::runtime_error(host.label + " exited with " + (code ? std::to_string(*code) : "a timeout") +
                                     ":\n" + process.output());
        }
        const auto window = difference(after, before);
        return {quantile(window, 0.5) * 1e3, quantile(window, 0.99) * 1e3, window.count() / elapsed};
    }

   private:
    nlohmann::json sink_config(const std::string& sink, const mdp::test::TempDir& directory) {
        if (sink == "sqlite") {
            return {{"type", "sqlite"}, {"name", "main"}, {"path", (directory / "mdp.sqlite").string()}};
        }
        if (sink == "postgres") {
            if (!postgres_) {
                postgres_ = std::make_unique<mdp::test::PostgresServer>(mdp::test::PostgresServerOptions{true});
            }
            const std::string database = "latency" + std::to_string(++databases_);
            postgres_->create_database(database);
            return {{"type", "postgres"}, {"name", "main"}, {"conninfo", postgres_->conninfo(database)}};
        }
        if (sink == "null") {
            return {{"type", "null"}, {"name", "main"}};
        }
        throw std::runtime_error("unknown sink " + sink + "; expected sqlite, postgres or null");
    }

    // The default store config: only the sink is set, so every binary uses its own defaults.
    nlohmann::json config_for(const HostBinary& host, const std::string& sink, double rate, unsigned short port,
                              const mdp::test::TempDir& directory) {
        const auto plugins = std::filesystem::absolute(host.path).parent_path().parent_path() / "plugins";
        return {{"plugin_path", {plugins.string()}},
                {"http", {{"enabled", true}, {"bind_address", "127.0.0.1"}, {"port", port}}},
                // info: the bound port is logged at info, and the bench reads it from the log.
                {"logging", {{"level", "info"}}},
                {"store", {{"sinks", nlohmann::json::array({sink_config(sink, directory)})}}},
                {"providers",
                 {{{"name", "synthetic"},
                   {"plugin", "synthetic"},
                   {"required", true},
                   {"isolation", host.isolation},
                   {"config",
                    {{"symbols", {"AAPL", "MSFT", "GOOG", "AMZN"}}, {"rate_per_symbol", rate / 4}, {"seed", 42}}}}}}};
    }

    Arguments arguments_;
    std::unique_ptr<mdp::test::PostgresServer> postgres_;
    int databases_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
    const Arguments arguments = parse_arguments(argc, argv);
    LatencyBench bench(arguments);
    // (sink, rate, host) -> one measurement per run
    std::map<std::tuple<std::string, double, std::string>, std::vector<Measurement>> results;
    std::printf("load average (1 / 5 min) at start: %s\n", load_average().c_str());
    const auto print_disk_flush = [] {
        const auto [p50, p99] = disk_flush_ms();
        std::printf("disk flush (8 kB append + fdatasync in the temp dir): p50 %.3f ms, p99 %.3f ms\n", p50, p99);
    };
    print_disk_flush();
    for (int run = 1; run <= arguments.runs; ++run) {
        for (const auto& sink : arguments.sinks) {
            for (const double rate : arguments.rates) {
                for (const auto& host : arguments.hosts) {
                    const Measurement measured = bench.measure(host, sink, rate);
                    results[{sink, rate, host.label}].push_back(measured);
                    std::printf(
                        "run %d  %-8s %8.0f ev/s  %-12s p50 %8.3f ms  p99 %8.3f ms  stored %9.0f ev/s  (load %s)\n",
                        run, sink.c_str(), rate, host.label.c_str(), measured.p50_ms, measured.p99_ms,
                        measured.stored_per_second, load_average().c_str());
                    std::fflush(stdout);
                }
            }
        }
    }
    std::printf("\nmedians of %d runs, %d s each after %d s warm-up\n", arguments.runs, arguments.seconds,
                arguments.warmup_seconds);
    std::printf("%-8s %10s  %-12s %12s %12s %14s\n", "sink", "rate ev/s", "host", "p50 ms", "p99 ms", "stored ev/s");
    for (const auto& [key, measurements] : results) {
        const auto& [sink, rate, label] = key;
        std::vector<double> p50;
        std::vector<double> p99;
        std::vector<double> stored;
        for (const auto& measured : measurements) {
            p50.push_back(measured.p50_ms);
            p99.push_back(measured.p99_ms);
            stored.push_back(measured.stored_per_second);
        }
        std::printf("%-8s %10.0f  %-12s %12.3f %12.3f %14.0f\n", sink.c_str(), rate, label.c_str(),
                    mdp::bench::median(p50), mdp::bench::median(p99), mdp::bench::median(stored));
    }
    print_disk_flush();
    std::printf("load average (1 / 5 min) at end: %s\n", load_average().c_str());
    return 0;
}
