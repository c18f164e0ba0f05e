#pragma once
// The text form of a bar interval in the config ("1s", "5m", "1h", "1d") and back.
// An interval is a whole number of seconds, minutes, hours or days that divides a day, so
// intervals aligned to the Unix epoch start on every UTC midnight (docs/data-quality.md,
// "Bars from ticks").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mdp::config {

// What a rejected interval is expected to look like, for error messages.
inline constexpr std::string_view kBarIntervalExpectation =
    "an interval like \"1s\", \"5m\", \"1h\" or \"1d\": a whole number of s, m, h or d that divides a day";

// The interval in nanoseconds, or nothing when `text` is not one (see above).
[[nodiscard]] std::optional<std::int64_t> parse_bar_interval_ns(std::string_view text);

// The shortest text for `interval_ns` in the largest unit that divides it ("5m", "90s").
[[nodiscard]] std::string bar_interval_text(std::int64_t interval_ns);

}  // namespace mdp::config
