#pragma once
// Command-line options of mdp-fake-tws (see usage_text()).

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace mdp::ibkr::fake {

class UsageError : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
};

enum class TickSource { random_walk, script, none };
enum class WriteMode { per_message, coalesced, split };

// A fault injected at a time after the client became ready.
struct ScheduledFault {
    std::chrono::milliseconds at{0};
    std::string action;  // 1100, 1101, 1102, 2110, 2103, 2104, 100, disconnect, garbage, oversize, malformed, corrupt
};

struct GatewayOptions {
    std::string bind_address = "127.0.0.1";
    std::uint16_t port = 0;  // 0: an ephemeral port, printed and written to port_file
    std::string port_file;
    int server_version = 176;
    std::string accounts = "DU1234567";
    TickSource ticks = TickSource::random_walk;
    std::string script_file;
    double steps_per_second = 10.0;  // random walk updates per subscription per second
    std::uint64_t seed = 42;
    std::chrono::milliseconds bar_interval{5000};
    int max_lines = 100;
    int pacing_limit = 50;  // client messages per sliding second before error 100
    int pacing_disconnect_after = 3;
    std::set<std::string> unknown_symbols;  // -> 200
    std::set<std::string> not_subscribed_symbols;  // -> 354 (live/frozen) or 10167 + delayed ticks
    std::set<std::string> delayed_disabled_symbols;  // -> 10186
    std::set<int> client_ids_in_use;  // -> 326 and close
    std::vector<ScheduledFault> faults;
    int fault_connections = 1;  // faults apply to the first N connections; 0 = all
    std::chrono::milliseconds outage{0};  // after a disconnect fault, refuse connections this long
    WriteMode write_mode = WriteMode::per_message;
    std::uint64_t blast_messages = 0;  // > 0: send this many ticks as fast as possible
    int blast_after_subscriptions = 1;
    bool garbage_only = false;  // answer every connection with random bytes
    std::chrono::milliseconds exit_after{0};  // 0: run until SIGINT/SIGTERM
    bool quiet = false;  // no per-request lines
};

// Throws UsageError naming the bad option.
GatewayOptions parse_gateway_options(const std::vector<std::string>& arguments);
std::string usage_text();

}  // namespace mdp::ibkr::fake
