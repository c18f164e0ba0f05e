// Requests per second the HTTP server sustains on keep-alive connections, measured with
// wrk (Debian `wrk`) against an in-process HttpServer serving a 50-provider snapshot.
// Each route is measured in the same run; the baseline is a 404 (routing and the socket
// path only, no rendering). /health has a budget of >= 20,000 requests/s.
//
//   build/bench/bench_http_server [seconds per route, default 10] [connections, default 50]
//
// Prints wrk's summary per route and one line per route: "<path> <requests/s>".

#include "bench_snapshot.hpp"
#include "config/host_config.hpp"
#include "http/http_server.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace {

// Runs wrk and returns its output (wrk is measured, not this process).
std::string run_wrk(unsigned short port, const std::string& path, int seconds, int connections) {
    const std::string command = "wrk --latency -t2 -c" + std::to_string(connections) + " -d" + std::to_string(seconds) +
                                "s http://127.0.0.1:" + std::to_string(port) + path + " 2>&1";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
    if (!pipe) {
        return "cannot run wrk\n";
    }
    std::string output;
    std::array<char, 4096> buffer{};
    while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe.get()) != nullptr) {
        output += buffer.data();
    }
    return output;
}

double requests_per_second(const std::string& wrk_output) {
    const std::size_t at = wrk_output.find("Requests/sec:");
    return at == std::string::npos ? 0.0 : std::atof(wrk_output.c_str() + at + 13);
}

}  // namespace

int main(int argc, char** argv) {
    const int seconds = argc > 1 ? std::atoi(argv[1]) : 10;
    const int connections = argc > 2 ? std::atoi(argv[2]) : 50;
    spdlog::set_level(spdlog::level::warn);

    mdp::config::HttpConfig config;
    config.bind_address = "127.0.0.1";
    config.port = 0;
    const auto snapshot = mdp::bench::bench_snapshot(50);
    // Each call hands the server its own copy, as the host's snapshot source does.
    mdp::http::HttpServer server(config, [&snapshot] { return snapshot; });  // NOLINT(performance-no-automatic-move)
    server.start();

    run_wrk(server.port(), "/health", 2, connections);  // warm-up: connections, caches, CPU clock
    for (const char* path : {"/not-found", "/health", "/ready", "/metrics", "/api/v1/status"}) {
        const std::string output = run_wrk(server.port(), path, seconds, connections);
        std::printf("== %s\n%s", path, output.c_str());
        std::printf("%s %.0f requests/s\n\n", path, requests_per_second(output));
        std::fflush(stdout);
    }
    server.stop();
    return 0;
}
