#pragma once
// Appending JSON scalars to a reused std::string without temporary allocations: the jsonl
// sink's hot path formats one object per event through these, and the JSON log format
// escapes each message with them.

#include <cstdint>
#include <string>
#include <string_view>

namespace mdp::common::json_text {

// The contents of a JSON string literal for `text`, without the quotes: `"` and `\\`
// escaped, control characters and DEL as escapes, and ill-formed UTF-8 replaced by U+FFFD
// (see common/utf8.hpp), so the output is always valid JSON.
void append_escaped(std::string& out, std::string_view text);

// `"text"`: append_escaped between quotes.
void append_string(std::string& out, std::string_view text);

// Shortest round-trip decimal; NaN and infinities (not representable in JSON) become null.
void append_double(std::string& out, double value);

void append_int(std::string& out, std::int64_t value);
void append_uint(std::string& out, std::uint64_t value);
void append_bool(std::string& out, bool value);

}  // namespace mdp::common::json_text
