#include "historical_time.hpp"

#include "number_text.hpp"

#include <ctime>

namespace mdp::ibkr {

namespace {

// Digits only, exactly `text.size()` of them.
std::optional<int> digits(std::string_view text) {
    int value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    return text.empty() ? std::nullopt : std::optional<int>(value);
}

}  // namespace

std::string utc_date_time(std::int64_t epoch_seconds) {
    const auto time = static_cast<std::time_t>(epoch_seconds);
    std::tm utc{};
    gmtime_r(&time, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y%m%d-%H:%M:%S", &utc);
    return buffer;
}

std::optional<std::int64_t> parse_utc_date_time(std::string_view text) {
    constexpr std::string_view kUtcSuffix = " UTC";
    if (text.size() == 21 && text.substr(17) == kUtcSuffix && text[8] == ' ') {
        text = text.substr(0, 17);
    } else if (text.size() != 17 || text[8] != '-') {
        return std::nullopt;
    }
    if (text[11] != ':' || text[14] != ':') {
        return std::nullopt;
    }
    const auto year = digits(text.substr(0, 4));
    const auto month = digits(text.substr(4, 2));
    const auto day = digits(text.substr(6, 2));
    const auto hour = digits(text.substr(9, 2));
    const auto minute = digits(text.substr(12, 2));
    const auto second = digits(text.substr(15, 2));
    if (!year || !month || !day || !hour || !minute || !second || *month < 1 || *month > 12 || *day < 1 || *day > 31 ||
        *hour > 23 || *minute > 59 || *second > 60) {
        return std::nullopt;
    }
    std::tm utc{};
    utc.tm_year = *year - 1900;
    utc.tm_mon = *month - 1;
    utc.tm_mday = *day;
    utc.tm_hour = *hour;
    utc.tm_min = *minute;
    utc.tm_sec = *second;
    return static_cast<std::int64_t>(timegm(&utc));
}

std::string duration_seconds_text(std::int64_t seconds) {
    std::string text;
    append_integer(text, seconds);
    text += " S";
    return text;
}

std::optional<std::int64_t> parse_duration_seconds(std::string_view text) {
    if (text.size() < 3 || text.substr(text.size() - 2) != " S") {
        return std::nullopt;
    }
    const ParsedInteger parsed = parse_integer(text.substr(0, text.size() - 2));
    if (parsed.status != NumberStatus::value || parsed.value <= 0) {
        return std::nullopt;
    }
    return parsed.value;
}

}  // namespace mdp::ibkr
