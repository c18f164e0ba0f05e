#pragma once
// The connection handshake, both sides:
//   client: "API\0" + frame "v<min>..<max>[ <options>]"   (the frame has no trailing NUL)
//   server: frame "<serverVersion>\0<connectionTime>\0"   (negative version = redirect, the
//           second field then is "host:port")
// after which the client sends startApi (client_messages.hpp).

#include <optional>
#include <string>
#include <string_view>

namespace mdp::ibkr {

struct VersionRange {
    int min_version = 0;
    int max_version = 0;
    std::string_view options;  // e.g. "+PACEAPI"; empty when none
};

// Client side: appends the prefix and the version frame.
void append_client_hello(std::string& out, const VersionRange& range);
// Server side: parses the version frame's payload ("v100..176", "v100..176 +PACEAPI",
// "v176"). Throws DecodeError naming what was wrong.
VersionRange parse_client_version_range(std::string_view payload);

struct ServerHello {
    int server_version = 0;
    std::string_view connection_time;  // e.g. "20250323 22:21:01 Greenwich Mean Time"
    // When server_version < 0: where to reconnect ("host:port").
    [[nodiscard]] bool is_redirect() const noexcept { return server_version < 0; }
};

void append_server_hello(std::string& out, const ServerHello& hello);
// The client's reading of a frame during the handshake: the 2-field version message, or
// nullopt for anything else (a client keeps reading until it gets one).
std::optional<ServerHello> try_decode_server_hello(std::string_view payload);

// What the server answers a client range with: min(client max, server max), or nullopt when
// the ranges do not overlap.
std::optional<int> negotiate_server_version(const VersionRange& client, int server_max_version);

}  // namespace mdp::ibkr
