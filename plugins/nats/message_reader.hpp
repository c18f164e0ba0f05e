#pragma once
// What one JetStream message holds: its `Mdp-Format` header and payload decoded into an event
// batch, or the reason it cannot be — sorted into the two kinds the provider treats
// differently (ConsumerConfig::malformed and ::future_format, README "Messages it cannot
// read"). Pure: no NATS, so the rule is tested on its own.

#include <mdp/wire/event_codec.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace mdp::nats_provider {

enum class MessageProblem {
    none,
    malformed,  // no or unknown format id, or a payload that does not decode: no reader ever will
    future_format,  // a known format family in a version newer than this reader (a newer replica can)
};

struct ReadMessage {
    wire::EventBatch batch;  // valid when problem is none
    MessageProblem problem = MessageProblem::none;
    std::string reason;  // what was wrong, for the log
};

// `format_id` is the header's value (nullopt when the message has none).
[[nodiscard]] ReadMessage read_message(std::optional<std::string_view> format_id, std::string_view payload);

}  // namespace mdp::nats_provider
