// The whole path in one process: synthetic provider publish -> store queue -> coordinator
// -> null sink, unthrottled, as events stored per second. Also counts heap allocations in
// the measurement window (host and plugin: this executable exports operator new, so the
// plugin's allocations land here too) to check there is none per event, and the resident
// memory at the end of each measurement window.
//
// Three configurations alternate within one run, so they share the machine's state:
//   plain:     no HTTP server (per-symbol freshness tracking on, the default)
//   scraped:   HTTP server on, /metrics fetched once a second (as Prometheus would)
//   untracked: as plain, with freshness tracking off (providers[].freshness.enabled false)
//   isolated:  as plain, with the provider in its own runner process ("isolation": "process";
//              docs/isolation.md); CPU per event then counts the runner's CPU too
//
//   build/bench/bench_pipeline [seconds per run, default 5] [runs per configuration, default 3]
//                              [symbols, default 4]
//
// MDP_* environment variables override the config as for mdp-host.

#include "allocation_counter.hpp"
#include "app/host_application.hpp"
#include "config/config_loader.hpp"
#include "config/env_overrides.hpp"
#include "metrics/process_stats.hpp"

#include <arpa/inet.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <spdlog/spdlog.h>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Measurement {
    double events_per_second = 0.0;
    double allocations_per_event = 0.0;
    std::uint64_t events = 0;
    // Process CPU time (all threads, user + system) per stored event: on a machine shared with
    // other work this moves far less than events per second does.
    double cpu_ns_per_event = 0.0;
    double resident_megabytes = 0.0;  // at the end of the measurement window, host running
};

double process_cpu_seconds() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& time) {
        return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// The provider's symbols: AAA..DDD for 4 (the historical figures), else S000000, S000001, ...
std::string symbols_json(std::size_t count) {
    if (count == 4) {
        return R"(["AAA", "BBB", "CCC", "DDD"])";
    }
    std::string text = "[";
    char symbol[32];
    for (std::size_t index = 0; index < count; ++index) {
        std::snprintf(symbol, sizeof(symbol), "\"S%06zu\"", index);
        text += (index == 0 ? "" : ",") + std::string(symbol);
    }
    return text + "]";
}

struct BenchShape {
    bool http = false;
    bool tracking = true;
    std::size_t symbols = 4;
    bool isolated = false;
};

// CPU seconds (user + system) process `pid` used so far, from /proc/<pid>/stat; 0 when gone.
double cpu_seconds_of(pid_t pid) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (pid <= 0 || !std::getline(file, line) || line.rfind(')') == std::string::npos) {
        return 0.0;
    }
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    std::string field;
    double ticks = 0.0;
    for (int index = 3; index <= 15 && fields >> field; ++index) {
        if (index == 14 || index == 15) {  // utime, stime
            ticks += std::stod(field);
        }
    }
    return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::string bench_config(const BenchShape& shape, unsigned short port) {
    return R"({
      "plugin_path": [")" MDP_PLUGIN_DIR R"("],
      "http": {"enabled": )" +
           std::string(shape.http ? "true" : "false") + R"(, "bind_address": "127.0.0.1", "port": )" +
           std::to_string(port) +
           R"(},
      "logging": {"level": "warn"},
      "store": {"queue_capacity": 10000, "batch_size": 500, "flush_interval_ms": 250,
                "sinks": [{"type": "null", "name": "null"}]},
      "providers": [{"name": "load", "plugin": "synthetic", "required": true,
                     "isolation": ")" +
           std::string(shape.isolated ? "process" : "in_process") + R"(",
                     "freshness": {"enabled": )" +
           std::string(shape.tracking ? "true" : "false") + R"(},
                     "config": {"symbols": )" +
           symbols_json(shape.symbols) + R"(, "rate_per_symbol": 0,
                                "batch_size": 256, "seed": 1, "bar_intervals_seconds": [60]}}]
    })";
}

std::uint64_t stored(const mdp::app::HostApplication& application) {
    const auto snapshot = application.snapshot();
    return snapshot.sinks.empty() ? 0 : snapshot.sinks[0].events_stored;
}

// One GET /metrics on loopback; the body is read and discarded.
void scrape(unsigned short port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
        const char request[] = "GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        if (::send(fd, request, sizeof(request) - 1, 0) > 0) {
            char buffer[65536];
            while (::recv(fd, buffer, sizeof(buffer), 0) > 0) {
            }
        }
    }
    ::close(fd);
}

Measurement measure(const BenchShape& shape, std::chrono::seconds duration) {
    const bool http = shape.http;
    const unsigned short port = 18000 + static_cast<unsigned short>(::getpid() % 1000);
    // MDP_* variables apply as they would to mdp-host (e.g. MDP__STORE__COALESCE_WAIT_US).
    auto config =
        mdp::config::parse_host_config(bench_config(shape, port), "bench.json", mdp::config::mdp_environment());
    mdp::app::ShutdownSignal shutdown;
    mdp::app::HostApplication application(std::move(config));
    std::thread host([&] { application.run(shutdown); });
    std::this_thread::sleep_for(std::chrono::seconds(1));  // warm-up: plugin loaded, queue steady

    const pid_t runner = static_cast<pid_t>(application.snapshot().providers.at(0).runner_pid);
    const std::uint64_t events_before = stored(application);
    const std::uint64_t allocations_before = mdp::bench::allocations_so_far();
    const double cpu_before = process_cpu_seconds() + cpu_seconds_of(runner);
    const auto started = Clock::now();
    auto next_scrape = started;
    while (Clock::now() - started < duration) {
        if (http && Clock::now() >= next_scrape) {
            scrape(port);
            next_scrape += std::chrono::seconds(1);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    const std::uint64_t events = stored(application) - events_before;
    const std::uint64_t allocations = mdp::bench::allocations_so_far() - allocations_before;
    const double cpu_seconds = process_cpu_seconds() + cpu_seconds_of(runner) - cpu_before;
    const double resident_bytes = mdp::metrics::read_process_stats().resident_memory_bytes.value_or(0.0);
    shutdown.request();
    host.join();
    const double per_event = events == 0 ? 0.0 : 1.0 / static_cast<double>(events);
    return {static_cast<double>(events) / seconds, static_cast<double>(allocations) * per_event, events,
            cpu_seconds * 1e9 * per_event, resident_bytes / 1e6};
}

}  // namespace

int main(int argc, char** argv) {
    const auto duration = std::chrono::seconds(argc > 1 ? std::atoi(argv[1]) : 5);
    const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
    const std::size_t symbols = argc > 3 ? static_cast<std::size_t>(std::atol(argv[3])) : 4;
    spdlog::set_level(spdlog::level::warn);
    std::vector<Measurement> plain;
    std::vector<Measurement> scraped;
    std::vector<Measurement> untracked;
    std::vector<Measurement> isolated;
    // The runner is built next to mdp-host, not next to this driver.
    ::setenv("MDP_PROVIDER_RUNNER", MDP_PROVIDER_RUNNER_BINARY, 0);  // NOLINT(concurrency-mt-unsafe)
    const auto print = [](const char* name, const Measurement& value) {
        std::printf("%s %.2f M events/s (%.4f allocations/event, %.1f CPU ns/event, RSS %.1f MB)", name,
                    value.events_per_second / 1e6, value.allocations_per_event, value.cpu_ns_per_event,
                    value.resident_megabytes);
    };
    for (int run = 0; run < runs; ++run) {
        plain.push_back(measure({false, true, symbols}, duration));
        scraped.push_back(measure({true, true, symbols}, duration));
        untracked.push_back(measure({false, false, symbols}, duration));
        isolated.push_back(measure({false, true, symbols, true}, duration));
        std::printf("run %d (%zu symbols): ", run + 1, symbols);
        print("plain", plain.back());
        print(", scraped", scraped.back());
        print(", untracked", untracked.back());
        print(", isolated", isolated.back());
        std::printf("\n");
        std::fflush(stdout);
    }
    const auto median = [](std::vector<Measurement> values) {
        std::sort(values.begin(), values.end(),
                  [](const Measurement& a, const Measurement& b) { return a.events_per_second < b.events_per_second; });
        return values[values.size() / 2].events_per_second;
    };
    const double plain_median = median(plain);
    const double scraped_median = median(scraped);
    const double untracked_median = median(untracked);
    const double isolated_median = median(isolated);
    std::printf(
        "median: plain %.2f M events/s, scraped %.2f M events/s, untracked %.2f M events/s, isolated %.2f M events/s, "
        "scraped/plain = %.3f, plain/untracked = %.3f, isolated/plain = %.3f\n",
        plain_median / 1e6, scraped_median / 1e6, untracked_median / 1e6, isolated_median / 1e6,
        scraped_median / plain_median, plain_median / untracked_median, isolated_median / plain_median);
    return 0;
}
