// Fuzz target: the TWS byte stream as the provider and the fake gateway read it. The first
// input bytes choose the negotiated server version and how the stream is cut into reads;
// the rest is the stream. Allowed outcomes: decoded messages, DecodeError (the message is
// skipped) and FramingError (the connection is dropped). Anything else is a bug.

#include "codec/client_message_codec.hpp"
#include "codec/decode_error.hpp"
#include "codec/frame_decoder.hpp"
#include "codec/handshake.hpp"
#include "codec/server_message_codec.hpp"
#include "codec/server_versions.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

struct IgnoringServerHandler : mdp::ibkr::ServerMessageHandler {};
struct IgnoringClientHandler : mdp::ibkr::ClientMessageHandler {};

// Every frame payload through every decoder that may see it on a real connection.
void decode_payload(std::string_view payload, int server_version) {
    using namespace mdp::ibkr;
    IgnoringServerHandler server_handler;
    IgnoringClientHandler client_handler;
    try {
        decode_server_message(payload, server_version, server_handler);
    } catch (const DecodeError&) {
    }
    try {
        decode_client_message(payload, server_version, client_handler);
    } catch (const DecodeError&) {
    }
    try {
        (void)parse_client_version_range(payload);
    } catch (const DecodeError&) {
    }
    (void)try_decode_server_hello(payload);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace mdp::ibkr;
    if (size < 2) {
        return 0;
    }
    const int span = server_version::kMaxSupported - server_version::kMinSupported + 1;
    const int version = server_version::kMinSupported + data[0] % span;
    const std::size_t read_bytes = 1 + data[1] % 64;
    const std::string_view stream(reinterpret_cast<const char*>(data + 2), size - 2);

    // A small frame limit, so oversized length prefixes are reached without huge inputs.
    FrameDecoder decoder(4096);
    for (std::size_t offset = 0; offset < stream.size(); offset += read_bytes) {
        decoder.append(stream.substr(offset, read_bytes));
        try {
            while (auto payload = decoder.next_frame()) {
                decode_payload(*payload, version);
            }
        } catch (const FramingError&) {
            decoder.reset();  // what a connection does: drop it and start again
        }
    }
    return 0;
}
