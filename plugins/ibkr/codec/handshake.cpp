#include "handshake.hpp"

#include "decode_error.hpp"
#include "field_reader.hpp"
#include "field_writer.hpp"
#include "number_text.hpp"
#include "wire_constants.hpp"

#include <algorithm>

namespace mdp::ibkr {

namespace {

int parse_version_number(std::string_view text, std::string_view payload) {
    const ParsedInteger parsed = parse_integer(text);
    if (parsed.status != NumberStatus::value || parsed.value < 0 || parsed.value > 100000) {
        throw DecodeError("client version range: expected \"v<min>..<max>\", found \"" + std::string(payload) + "\"");
    }
    return static_cast<int>(parsed.value);
}

}  // namespace

void append_client_hello(std::string& out, const VersionRange& range) {
    out.append(wire::kApiPrefix);
    std::string payload = "v" + std::to_string(range.min_version) + ".." + std::to_string(range.max_version);
    if (!range.options.empty()) {
        payload += " ";
        payload += range.options;
    }
    append_raw_frame(out, payload);
}

VersionRange parse_client_version_range(std::string_view payload) {
    if (payload.empty() || payload.front() != 'v') {
        throw DecodeError("client version range: expected \"v<min>..<max>\", found \"" +
                          std::string(payload.substr(0, 40)) + "\"");
    }
    std::string_view rest = payload.substr(1);
    VersionRange range;
    if (const std::size_t space = rest.find(' '); space != std::string_view::npos) {
        range.options = rest.substr(space + 1);
        rest = rest.substr(0, space);
    }
    if (const std::size_t dots = rest.find(".."); dots != std::string_view::npos) {
        range.min_version = parse_version_number(rest.substr(0, dots), payload);
        range.max_version = parse_version_number(rest.substr(dots + 2), payload);
    } else {
        range.min_version = range.max_version = parse_version_number(rest, payload);
    }
    if (range.min_version > range.max_version) {
        throw DecodeError("client version range: minimum " + std::to_string(range.min_version) + " is above maximum " +
                          std::to_string(range.max_version));
    }
    return range;
}

void append_server_hello(std::string& out, const ServerHello& hello) {
    append_frame(out, [&](FieldWriter& fields) {
        fields.integer(hello.server_version);
        fields.text(hello.connection_time);
    });
}

std::optional<ServerHello> try_decode_server_hello(std::string_view payload) {
    if (payload.empty() || payload.back() != '\0' || std::count(payload.begin(), payload.end(), '\0') != 2) {
        return std::nullopt;
    }
    FieldReader reader(payload);
    const ParsedInteger version = parse_integer(reader.text());
    if (version.status != NumberStatus::value || version.value == 0 || version.value > 100000 ||
        version.value < -100000) {
        return std::nullopt;
    }
    return ServerHello{static_cast<int>(version.value), reader.text()};
}

std::optional<int> negotiate_server_version(const VersionRange& client, int server_max_version) {
    const int chosen = std::min(client.max_version, server_max_version);
    if (chosen < client.min_version) {
        return std::nullopt;
    }
    return chosen;
}

}  // namespace mdp::ibkr
