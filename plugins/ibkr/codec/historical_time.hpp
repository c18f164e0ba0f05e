#pragma once
// The time texts of historical data requests: endDateTime in UTC ("20261203-04:10:00", the
// form IB documents for UTC, also accepted as "20261203 04:10:00 UTC") and durations in
// seconds ("300 S"). Shared by the provider (writing requests) and the fake gateway
// (reading them). Times are Unix seconds.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mdp::ibkr {

// "yyyymmdd-hh:mm:ss" in UTC.
std::string utc_date_time(std::int64_t epoch_seconds);
// The inverse, also accepting "yyyymmdd hh:mm:ss UTC"; nullopt for any other text.
std::optional<std::int64_t> parse_utc_date_time(std::string_view text);

// "N S".
std::string duration_seconds_text(std::int64_t seconds);
// The inverse for positive N; nullopt for other units or text.
std::optional<std::int64_t> parse_duration_seconds(std::string_view text);

}  // namespace mdp::ibkr
