// mdp wire format — one entry point over both encodings: encode by Encoding, decode by the
// format id a message carries in its `Mdp-Format` header. A consumer calls decode_batch()
// with the header's value and the payload and gets either the batch or the reason it was
// rejected (unknown format id, a version from the future, malformed or truncated payload).
#ifndef MDP_WIRE_EVENT_CODEC_HPP
#define MDP_WIRE_EVENT_CODEC_HPP

#include <mdp/wire/binary_codec.hpp>
#include <mdp/wire/event_batch.hpp>
#include <mdp/wire/json_codec.hpp>

#include <string>
#include <string_view>

namespace mdp::wire {

template <typename EventAt>
void encode_batch(Encoding encoding, std::string& out, std::string_view origin, std::string_view run_id,
                  std::size_t count, EventAt&& event_at) {
    if (encoding == Encoding::binary) {
        encode_binary_batch(out, origin, run_id, count, event_at);
    } else {
        encode_json_batch(out, origin, run_id, count, event_at);
    }
}

[[nodiscard]] inline DecodeResult decode_batch(std::string_view format_id, std::string_view payload) {
    if (std::string problem = check_format_id(format_id); !problem.empty()) {
        DecodeResult rejected;
        rejected.error = std::move(problem);
        return rejected;
    }
    return parse_format_id(format_id).name == kBinaryFormatName ? decode_binary_batch(payload)
                                                                : decode_json_batch(payload);
}

}  // namespace mdp::wire

#endif  // MDP_WIRE_EVENT_CODEC_HPP
