// mdp wire format — the types shared by the encoders and decoders of an event batch.
//
// An event batch is what the `nats` sink publishes as one message and what any consumer
// (the `nats` provider plugin, a tool in another language) decodes: many events of one origin
// provider instance and run, each with its own sequence number, so a consumer can store them
// with the identity the origin host gave them. The format is a public contract, specified in
// docs/scale-out.md ("Wire format"); its id travels in the message header `Mdp-Format`.
//
// Header-only and free of host internals so a plugin can include it. Encoders take events
// through a callable, so a caller never copies its records into an intermediate vector.
// Decoders never throw on bad input: they return a DecodeResult whose `error` says what was
// wrong (errors are data; a consumer counts and logs them).
#ifndef MDP_WIRE_EVENT_BATCH_HPP
#define MDP_WIRE_EVENT_BATCH_HPP

#include <mdp/plugin_api.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mdp::wire {

// The message header that names the payload's format.
inline constexpr std::string_view kFormatHeader = "Mdp-Format";

// Format families and the newest version of each that this code reads and writes.
inline constexpr std::string_view kBinaryFormatName = "mdp.events.bin";
inline constexpr std::string_view kJsonFormatName = "mdp.events.json";
inline constexpr std::uint32_t kBinaryFormatVersion = 1;
inline constexpr std::uint32_t kJsonFormatVersion = 1;
inline constexpr std::string_view kBinaryFormatId = "mdp.events.bin/1";
inline constexpr std::string_view kJsonFormatId = "mdp.events.json/1";

enum class Encoding { binary, json };

[[nodiscard]] constexpr std::string_view format_id(Encoding encoding) noexcept {
    return encoding == Encoding::binary ? kBinaryFormatId : kJsonFormatId;
}

// One event as it travels: the origin's sequence number (per origin provider instance and
// run, from 1) and the record itself.
struct WireEvent {
    std::uint64_t seq = 0;
    mdp_event_t event{};
};

// A decoded batch: every event shares the origin provider instance name and run id.
struct EventBatch {
    std::string origin;
    std::string run_id;
    std::vector<WireEvent> events;
};

struct DecodeResult {
    EventBatch batch;
    std::string error;  // "" on success; otherwise what was wrong, e.g. "truncated: ..."

    [[nodiscard]] bool ok() const noexcept { return error.empty(); }
};

// A format id split into its family and version ("mdp.events.bin/1" -> {"mdp.events.bin", 1}).
struct FormatId {
    std::string_view name;
    std::uint32_t version = 0;  // 0 = the id has no valid "/<version>" suffix
};

[[nodiscard]] constexpr FormatId parse_format_id(std::string_view id) noexcept {
    const std::size_t slash = id.rfind('/');
    if (slash == std::string_view::npos || slash + 1 == id.size() || id.size() - slash > 10) {
        return {id, 0};
    }
    std::uint32_t version = 0;
    for (const char digit : id.substr(slash + 1)) {
        if (digit < '0' || digit > '9') {
            return {id, 0};
        }
        version = version * 10 + static_cast<std::uint32_t>(digit - '0');
    }
    return {id.substr(0, slash), version};
}

// Checks a format id against what this reader knows; "" when it can decode it, otherwise
// the reason (unknown family, malformed id, or a version from the future).
[[nodiscard]] inline std::string check_format_id(std::string_view id) {
    const FormatId parsed = parse_format_id(id);
    const bool binary = parsed.name == kBinaryFormatName;
    if (!binary && parsed.name != kJsonFormatName) {
        return "unknown format id \"" + std::string(id) + "\" (this reader knows " + std::string(kBinaryFormatId) +
               " and " + std::string(kJsonFormatId) + ")";
    }
    const std::uint32_t newest = binary ? kBinaryFormatVersion : kJsonFormatVersion;
    if (parsed.version == 0) {
        return "malformed format id \"" + std::string(id) + "\": expected " + std::string(parsed.name) + "/<version>";
    }
    if (parsed.version > newest) {
        return "format " + std::string(id) + " is newer than this reader (it reads " + std::string(parsed.name) +
               " up to version " + std::to_string(newest) + ")";
    }
    return {};
}

}  // namespace mdp::wire

#endif  // MDP_WIRE_EVENT_BATCH_HPP
