#pragma once
// UTF-8 validation for text that reaches consumers which require it (Prometheus label
// values, HTML). Plugin-supplied strings are arbitrary bytes; these never fail.

#include <string>
#include <string_view>

namespace mdp::metrics {

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
[[nodiscard]] bool is_valid_utf8(std::string_view text) noexcept;

// `text` with every ill-formed byte sequence replaced by U+FFFD (one per maximal invalid
// subpart, as the Unicode standard recommends). Valid input is returned unchanged.
[[nodiscard]] std::string to_valid_utf8(std::string_view text);

}  // namespace mdp::metrics
