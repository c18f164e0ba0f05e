#pragma once
// Constants of the TWS API socket protocol's text encoding (server versions 100..200).

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mdp::ibkr::wire {

// A frame is `[uint32 big-endian payload length][payload]`; TWS refuses longer payloads.
inline constexpr std::size_t kFrameHeaderBytes = 4;
inline constexpr std::size_t kMaxFramePayloadBytes = 0xFFFFFF;

// The raw bytes a client sends before its first frame.
inline constexpr std::string_view kApiPrefix{"API\0", 4};

// "Unset" sentinels TWS may send instead of an empty field.
inline constexpr std::int64_t kUnsetInteger = 2147483647;  // Java Integer.MAX_VALUE
inline constexpr std::int64_t kUnsetLong = 9223372036854775807;  // Java Long.MAX_VALUE
inline constexpr double kUnsetDouble = 1.7976931348623157E308;  // Java Double.MAX_VALUE

// reqId of system-wide error messages (not tied to a request).
inline constexpr std::int64_t kNoRequestId = -1;

}  // namespace mdp::ibkr::wire
