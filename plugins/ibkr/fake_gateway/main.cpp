// mdp-fake-tws: a fake IB Gateway for tests and demos. Runs until SIGINT/SIGTERM (or
// --exit-after-ms). Prints one line per connection event; see --help.

#include "fake_gateway/fake_gateway.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <thread>

namespace {

std::atomic<bool> g_stop_requested{false};

extern "C" void request_stop(int /*signal*/) { g_stop_requested.store(true); }

}  // namespace

int main(int argc, char** argv) {
    using namespace mdp::ibkr::fake;
    GatewayOptions options;
    try {
        options = parse_gateway_options(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const UsageError& error) {
        if (std::string(error.what()).empty()) {
            std::cout << usage_text();
            return 0;
        }
        std::cerr << "mdp-fake-tws: " << error.what() << "\n\n" << usage_text();
        return 2;
    }
    std::signal(SIGINT, request_stop);
    std::signal(SIGTERM, request_stop);
    std::signal(SIGPIPE, SIG_IGN);
    try {
        FakeGateway gateway(options, std::cout);
        if (!options.port_file.empty()) {
            std::ofstream(options.port_file) << gateway.port() << '\n';
        }
        gateway.start();
        const auto started = std::chrono::steady_clock::now();
        while (!g_stop_requested.load()) {
            if (options.exit_after.count() > 0 && std::chrono::steady_clock::now() - started >= options.exit_after) {
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        gateway.stop();
        std::cout << "mdp-fake-tws stopped" << std::endl;
    } catch (const std::exception& error) {
        std::cerr << "mdp-fake-tws: " << error.what() << std::endl;
        return 1;
    }
    return 0;
}
