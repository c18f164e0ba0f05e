#pragma once
// UTF-8 validation and repair. Provider-supplied text (symbols, exchange codes, messages)
// is arbitrary bytes, but JSON output, Prometheus label values, HTML and PostgreSQL's UTF8
// encoding all require well-formed UTF-8: one bad byte must neither break a consumer nor
// make a batch unstorable. Nothing here fails.

#include <cstddef>
#include <string>
#include <string_view>

namespace mdp::common {

// U+FFFD, which replaces every maximal invalid subpart.
inline constexpr std::string_view kUtf8ReplacementCharacter = "\xEF\xBF\xBD";

// What starts at text[0] of a non-empty `text`: a well-formed sequence of `length` bytes
// (1 for ASCII), or, when `valid` is false, an ill-formed maximal subpart of `length` bytes
// (>= 1) that a repair replaces with one U+FFFD.
struct Utf8Sequence {
    std::size_t length = 0;
    bool valid = false;
};
[[nodiscard]] Utf8Sequence utf8_sequence_at(std::string_view text) noexcept;

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
[[nodiscard]] bool is_valid_utf8(std::string_view text) noexcept;

// Appends `text` with every ill-formed sequence replaced by U+FFFD, one per maximal
// invalid subpart as the Unicode standard recommends. Valid input is appended unchanged.
void append_valid_utf8(std::string& out, std::string_view text);

// `text` repaired as append_valid_utf8 does.
[[nodiscard]] std::string to_valid_utf8(std::string_view text);

}  // namespace mdp::common
