#pragma once
// Appending JSON scalars to a reused std::string without temporary allocations: the jsonl
// sink's hot path formats one object per event through these.

#include <cstdint>
#include <string>
#include <string_view>

namespace mdp::sinks::json_text {

// `"text"` with JSON escapes; bytes that are not valid UTF-8 become U+FFFD so the output is
// always valid JSON.
void append_string(std::string& out, std::string_view text);

// Shortest round-trip decimal; NaN and infinities (not representable in JSON) become null.
void append_double(std::string& out, double value);

void append_int(std::string& out, std::int64_t value);
void append_uint(std::string& out, std::uint64_t value);
void append_bool(std::string& out, bool value);

}  // namespace mdp::sinks::json_text
