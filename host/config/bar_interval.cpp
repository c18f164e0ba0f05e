#include "config/bar_interval.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace mdp::config {

namespace {

constexpr std::int64_t kNanosecondsPerSecond = 1'000'000'000;
constexpr std::int64_t kSecondsPerDay = 86'400;

// Units, largest first (bar_interval_text() picks the first that divides).
constexpr std::array<std::pair<char, std::int64_t>, 4> kUnitSeconds{
    {{'d', kSecondsPerDay}, {'h', 3600}, {'m', 60}, {'s', 1}}};

}  // namespace

std::optional<std::int64_t> parse_bar_interval_ns(std::string_view text) {
    if (text.size() < 2 || text.front() == '0') {
        return std::nullopt;
    }
    const std::string_view digits = text.substr(0, text.size() - 1);
    std::int64_t count = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
    if (error != std::errc() || end != digits.data() + digits.size() || count <= 0 || count > kSecondsPerDay) {
        return std::nullopt;
    }
    for (const auto& [unit, seconds] : kUnitSeconds) {
        if (text.back() == unit) {
            const std::int64_t total_seconds = count * seconds;
            if (total_seconds > kSecondsPerDay || kSecondsPerDay % total_seconds != 0) {
                return std::nullopt;
            }
            return total_seconds * kNanosecondsPerSecond;
        }
    }
    return std::nullopt;
}

std::string bar_interval_text(std::int64_t interval_ns) {
    const std::int64_t seconds = interval_ns / kNanosecondsPerSecond;
    if (interval_ns % kNanosecondsPerSecond != 0 || seconds <= 0) {
        return std::to_string(interval_ns) + "ns";
    }
    for (const auto& [unit, unit_seconds] : kUnitSeconds) {
        if (seconds % unit_seconds == 0) {
            return std::to_string(seconds / unit_seconds) + unit;
        }
    }
    return std::to_string(seconds) + "s";
}

}  // namespace mdp::config
