#pragma once
// The checks on the identity a provider gives with MDP_HOST_PUBLISH_IDENTIFIED_ID: who the
// events come from (origin provider and run id) and one origin sequence per record.

#include <mdp/plugin_api.h>

#include <cstdint>
#include <string>

namespace mdp::plugins {

// Sinks store seq as a signed 64-bit integer, so an origin sequence stays below 2^63.
constexpr std::uint64_t kMaxOriginSequence = static_cast<std::uint64_t>(INT64_MAX);

// [any-thread] Why `origin` with `origin_sequences` (`count` of them) cannot identify a
// publish call, e.g. "origin_sequences[2] is 0, expected 1 to 2^63-1"; "" when it can. Reads
// only the `count` sequences; `origin` and `origin_sequences` may be NULL.
[[nodiscard]] std::string identity_problem(const mdp_event_origin_t* origin, const std::uint64_t* origin_sequences,
                                           std::uint32_t count);

}  // namespace mdp::plugins
