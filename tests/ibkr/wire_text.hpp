#pragma once
// Fixture notation for the TWS wire format: '|' stands for the NUL field terminator, as in
// the protocol reference, so fixtures stay readable.

#include <cstdint>
#include <string>
#include <string_view>

namespace mdp::ibkr::test {

// "1|6|9000|" -> "1\0" "6\0" "9000\0"
inline std::string nul_fields(std::string_view bars) {
    std::string out(bars);
    for (char& c : out) {
        if (c == '|') {
            c = '\0';
        }
    }
    return out;
}

// A length-prefixed frame around `payload`.
inline std::string framed(std::string_view payload) {
    const auto length = static_cast<std::uint32_t>(payload.size());
    std::string out;
    out.push_back(static_cast<char>((length >> 24) & 0xff));
    out.push_back(static_cast<char>((length >> 16) & 0xff));
    out.push_back(static_cast<char>((length >> 8) & 0xff));
    out.push_back(static_cast<char>(length & 0xff));
    out.append(payload);
    return out;
}

inline std::string frame_of_fields(std::string_view bars) { return framed(nul_fields(bars)); }

// The payload of a single frame in `bytes` (the first 4 bytes are the length), with NULs
// shown as '|' so a failing comparison prints readably.
inline std::string payload_as_bars(std::string_view bytes) {
    std::string out(bytes.size() >= 4 ? bytes.substr(4) : bytes);
    for (char& c : out) {
        if (c == '\0') {
            c = '|';
        }
    }
    return out;
}

}  // namespace mdp::ibkr::test
