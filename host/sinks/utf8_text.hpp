#pragma once
// UTF-8 validation for text that providers hand over verbatim (symbols, exchange codes):
// JSON output and PostgreSQL (UTF8 server encoding) both reject invalid sequences, and one
// bad byte must not turn a batch into one that can never be stored.

#include <cstddef>
#include <string>
#include <string_view>

namespace mdp::sinks::utf8 {

// U+FFFD, which replaces each byte that does not start a valid sequence.
inline constexpr std::string_view replacement_character = "\xEF\xBF\xBD";

// Length (2..4) of the valid multi-byte sequence at the start of `text`, or 0 when
// text[0] does not start one (ASCII bytes return 0 too: callers handle them first).
[[nodiscard]] std::size_t multibyte_sequence_length(std::string_view text) noexcept;

// True when `text` is entirely valid UTF-8 (the common case, checked without copying).
[[nodiscard]] bool is_valid(std::string_view text) noexcept;

// Appends `text` with every invalid byte replaced by U+FFFD.
void append_sanitized(std::string& out, std::string_view text);

}  // namespace mdp::sinks::utf8
