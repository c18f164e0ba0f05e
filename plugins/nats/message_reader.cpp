#include "message_reader.hpp"

namespace mdp::nats_provider {

namespace {

bool is_future_version(std::string_view format_id) {
    const wire::FormatId parsed = wire::parse_format_id(format_id);
    return (parsed.name == wire::kBinaryFormatName && parsed.version > wire::kBinaryFormatVersion) ||
           (parsed.name == wire::kJsonFormatName && parsed.version > wire::kJsonFormatVersion);
}

ReadMessage rejected(MessageProblem problem, std::string reason) {
    ReadMessage message;
    message.problem = problem;
    message.reason = std::move(reason);
    return message;
}

}  // namespace

ReadMessage read_message(std::optional<std::string_view> format_id, std::string_view payload) {
    if (!format_id) {
        return rejected(MessageProblem::malformed, "no " + std::string(wire::kFormatHeader) + " header");
    }
    wire::DecodeResult decoded = wire::decode_batch(*format_id, payload);
    if (!decoded.ok()) {
        return rejected(is_future_version(*format_id) ? MessageProblem::future_format : MessageProblem::malformed,
                        std::move(decoded.error));
    }
    if (decoded.batch.events.empty()) {
        return rejected(MessageProblem::malformed, "the batch holds no events");
    }
    ReadMessage message;
    message.batch = std::move(decoded.batch);
    return message;
}

}  // namespace mdp::nats_provider
