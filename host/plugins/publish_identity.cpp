#include "plugins/publish_identity.hpp"

#include "pipeline/event_origins.hpp"

namespace mdp::plugins {

std::string identity_problem(const mdp_event_origin_t* origin, const std::uint64_t* origin_sequences,
                             std::uint32_t count) {
    if (origin == nullptr || origin->size < sizeof(mdp_event_origin_t)) {
        return "the origin is missing or smaller than mdp_event_origin_t";
    }
    if (const std::string_view problem = pipeline::origin_text_problem(origin->provider); !problem.empty()) {
        return "the origin provider name " + std::string(problem);
    }
    if (const std::string_view problem = pipeline::origin_text_problem(origin->run_id); !problem.empty()) {
        return "the origin run id " + std::string(problem);
    }
    if (origin_sequences == nullptr) {
        return "origin_sequences is NULL";
    }
    for (std::uint32_t index = 0; index < count; ++index) {
        if (origin_sequences[index] == 0 || origin_sequences[index] > kMaxOriginSequence) {
            return "origin_sequences[" + std::to_string(index) + "] is " + std::to_string(origin_sequences[index]) +
                   ", expected 1 to 2^63-1";
        }
    }
    return {};
}

}  // namespace mdp::plugins
