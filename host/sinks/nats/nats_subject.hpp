#pragma once
// Subjects and message ids of the `nats` sink (documented in docs/scale-out.md):
//
//   subject     <prefix>.<provider>.<type>.<symbol>, e.g. mdp.events.ibkr.quote.EUR%2EUSD
//   Nats-Msg-Id <provider>:<run_id>:<first seq>-<last seq>
//
// A subject token may hold only [A-Za-z0-9_-]; every other byte (and '%') is written as %XX
// (upper-case hex), so a token never contains '.', '*', '>' or white space and the original
// text is recoverable (no two symbols share a token). An empty text is the token "%00". The
// type token is quote, trade or bar. Pure functions.

#include "common/event_type.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace mdp::sinks {

[[nodiscard]] std::string subject_token(std::string_view text);

// The subject of the events of one (provider, type, symbol).
[[nodiscard]] std::string event_subject(std::string_view prefix, std::string_view provider, common::EventType type,
                                        std::string_view symbol);

// The de-duplication id of a message holding `provider`'s events of one run, with the
// smallest and largest seq in it. Every event belongs to exactly one message, so the
// smallest seq alone makes the id unique; the rest makes it readable.
[[nodiscard]] std::string message_id(std::string_view provider, std::string_view run_id, std::uint64_t first_seq,
                                     std::uint64_t last_seq);

// A JetStream stream name: 1 to 255 of [A-Za-z0-9_-].
[[nodiscard]] bool is_valid_stream_name(std::string_view name);

// Dot-separated non-empty tokens of [A-Za-z0-9_-].
[[nodiscard]] bool is_valid_subject_prefix(std::string_view prefix);

}  // namespace mdp::sinks
