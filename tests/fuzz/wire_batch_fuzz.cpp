// Fuzz target: the wire format decoders of plugin-api/include/mdp/wire/, which read what
// arrives on a NATS subject from anyone who may publish there. The first input byte picks
// the format id (binary, JSON, or the rest of the input up to a NUL as a free-form id); the
// rest is the payload. Whatever the bytes, a decoder returns a batch or a reason, and a
// batch it accepted encodes and decodes again to the same events.

#include <mdp/wire/event_codec.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

void check_round_trip(mdp::wire::Encoding encoding, const mdp::wire::EventBatch& batch) {
    const auto& events = batch.events;
    std::string encoded;
    mdp::wire::encode_batch(encoding, encoded, batch.origin, batch.run_id, events.size(), [&](std::size_t i) {
        return mdp::wire::EventRef{events[i].seq, &events[i].event};
    });
    const mdp::wire::DecodeResult again = mdp::wire::decode_batch(mdp::wire::format_id(encoding), encoded);
    if (!again.ok() || again.batch.events.size() != events.size() || again.batch.origin != batch.origin) {
        std::abort();
    }
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (again.batch.events[i].seq != events[i].seq ||
            std::memcmp(again.batch.events[i].event.symbol, events[i].event.symbol, MDP_SYMBOL_CAPACITY) != 0) {
            std::abort();
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    std::string format;
    switch (data[0] % 3) {
        case 0:
            format = mdp::wire::kBinaryFormatId;
            break;
        case 1:
            format = mdp::wire::kJsonFormatId;
            break;
        default: {
            const std::size_t nul = std::min(input.find('\0'), input.size());
            format = input.substr(0, nul);
            input.remove_prefix(std::min(nul + 1, input.size()));
            break;
        }
    }
    const mdp::wire::DecodeResult result = mdp::wire::decode_batch(format, input);
    if (result.ok() == !result.error.empty()) {
        std::abort();
    }
    if (result.ok() && !result.batch.origin.empty() && result.batch.origin.size() <= mdp::wire::kMaxOriginBytes &&
        result.batch.run_id.size() <= mdp::wire::kMaxRunIdBytes) {
        check_round_trip(mdp::wire::Encoding::binary, result.batch);
    }
    return 0;
}
