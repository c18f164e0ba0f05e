#include "synthetic_config.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <set>

namespace mdp::synthetic {

namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 10> kKnownKeys = {
    "symbols",    "rate_per_symbol",       "trade_ratio", "seed",       "start_price",
    "volatility", "bar_intervals_seconds", "batch_size",  "max_events", "threads"};

// Longest bar interval accepted: one week, so interval_ns stays far from overflow.
constexpr std::int64_t kMaxBarIntervalSeconds = std::int64_t{7} * 24 * 3600;
// A mid price above this is not a realistic instrument and risks overflowing tick math.
constexpr double kMaxStartPrice = 1e9;
// A per-event relative stdev above 10% would make the walk meaningless.
constexpr double kMaxVolatility = 0.1;

// How a value reads in an error message: scalars verbatim (strings quoted, shortened),
// containers by kind.
std::string describe_found(const json& value) {
    switch (value.type()) {
        case json::value_t::object:
            return "an object";
        case json::value_t::array:
            return "an array";
        case json::value_t::string: {
            std::string text = value.get<std::string>();
            if (text.size() > 40) {
                text = text.substr(0, 37) + "...";
            }
            return json(text).dump();
        }
        default:
            return value.dump();
    }
}

[[noreturn]] void fail(const std::string& path, const std::string& expected, const json& found) {
    throw ConfigProblem(path + ": expected " + expected + ", found " + describe_found(found));
}

std::string known_keys_text() {
    std::string text;
    for (const auto key : kKnownKeys) {
        text += (text.empty() ? "" : ", ") + std::string(key);
    }
    return text;
}

double read_number(const json& value, const std::string& key, double min, double max, const std::string& expected) {
    if (!value.is_number()) {
        fail(key, expected, value);
    }
    const double number = value.get<double>();
    if (!std::isfinite(number) || number < min || number > max) {
        fail(key, expected, value);
    }
    return number;
}

// Integers must be JSON integers (1.5 and 2.0 are rejected: a count is never fractional).
std::uint64_t read_unsigned(const json& value, const std::string& key, std::uint64_t min, std::uint64_t max,
                            const std::string& expected) {
    if (value.is_number_unsigned()) {
        const auto number = value.get<std::uint64_t>();
        if (number >= min && number <= max) {
            return number;
        }
    } else if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
        const auto number = static_cast<std::uint64_t>(value.get<std::int64_t>());
        if (number >= min && number <= max) {
            return number;
        }
    }
    fail(key, expected, value);
}

std::vector<std::string> read_symbols(const json& value) {
    const std::string expected = "a non-empty list of symbol strings";
    if (!value.is_array() || value.empty()) {
        fail("symbols", expected, value);
    }
    std::vector<std::string> symbols;
    std::set<std::string> seen;
    for (std::size_t index = 0; index < value.size(); ++index) {
        const json& element = value[index];
        const std::string path = "symbols[" + std::to_string(index) + "]";
        if (!element.is_string() || element.get<std::string>().empty() ||
            element.get<std::string>().size() > kMaxSymbolLength) {
            fail(path, "a non-empty string of at most " + std::to_string(kMaxSymbolLength) + " characters", element);
        }
        std::string symbol = element.get<std::string>();
        if (!seen.insert(symbol).second) {
            fail(path, "a symbol not listed before", element);
        }
        symbols.push_back(std::move(symbol));
    }
    return symbols;
}

std::vector<std::int64_t> read_bar_intervals(const json& value) {
    const std::string expected = "a list of positive integers (seconds)";
    if (!value.is_array()) {
        fail("bar_intervals_seconds", expected, value);
    }
    std::vector<std::int64_t> intervals;
    for (std::size_t index = 0; index < value.size(); ++index) {
        const std::string path = "bar_intervals_seconds[" + std::to_string(index) + "]";
        const auto seconds = static_cast<std::int64_t>(
            read_unsigned(value[index], path, 1, kMaxBarIntervalSeconds,
                          "an integer number of seconds between 1 and " + std::to_string(kMaxBarIntervalSeconds)));
        if (std::find(intervals.begin(), intervals.end(), seconds) != intervals.end()) {
            fail(path, "an interval not listed before", value[index]);
        }
        intervals.push_back(seconds);
    }
    return intervals;
}

json parse_object(std::string_view json_text) {
    json document;
    try {
        document = json::parse(json_text.empty() ? std::string_view("{}") : json_text);
    } catch (const json::parse_error& error) {
        // No key to name: the host then reports the error at the config object itself.
        throw ConfigProblem(std::string("expected a JSON object (") + error.what() + ")");
    }
    if (document.is_null()) {
        return json::object();
    }
    if (!document.is_object()) {
        throw ConfigProblem("expected an object with the synthetic provider's settings, found " +
                            describe_found(document));
    }
    return document;
}

void reject_unknown_keys(const json& document) {
    for (const auto& [key, value] : document.items()) {
        if (std::find(kKnownKeys.begin(), kKnownKeys.end(), key) == kKnownKeys.end()) {
            throw ConfigProblem(key + ": unknown key (expected one of " + known_keys_text() + ")");
        }
    }
}

}  // namespace

SyntheticConfig parse_synthetic_config(std::string_view json_text) {
    const json document = parse_object(json_text);
    reject_unknown_keys(document);

    SyntheticConfig config;
    if (!document.contains("symbols")) {
        throw ConfigProblem(
            "symbols: expected a non-empty list of symbol strings, found nothing (the key is required)");
    }
    config.symbols = read_symbols(document.at("symbols"));

    if (document.contains("rate_per_symbol")) {
        config.rate_per_symbol = read_number(document.at("rate_per_symbol"), "rate_per_symbol", 0.0, 1e9,
                                             "a number of events per second >= 0 (0 = unthrottled)");
    }
    if (document.contains("trade_ratio")) {
        config.trade_ratio =
            read_number(document.at("trade_ratio"), "trade_ratio", 0.0, 1.0, "a number between 0 and 1");
    }
    if (document.contains("seed")) {
        config.seed = read_unsigned(document.at("seed"), "seed", 0, std::numeric_limits<std::uint64_t>::max(),
                                    "a non-negative integer");
    }
    if (document.contains("start_price")) {
        config.start_price = read_number(document.at("start_price"), "start_price", 0.0001, kMaxStartPrice,
                                         "a price between 0.0001 and 1e9");
    }
    if (document.contains("volatility")) {
        config.volatility = read_number(document.at("volatility"), "volatility", 0.0, kMaxVolatility,
                                        "a relative standard deviation per event between 0 and 0.1");
    }
    if (document.contains("bar_intervals_seconds")) {
        config.bar_intervals_seconds = read_bar_intervals(document.at("bar_intervals_seconds"));
    }
    if (document.contains("batch_size")) {
        config.batch_size =
            static_cast<std::uint32_t>(read_unsigned(document.at("batch_size"), "batch_size", 1, kMaxBatchSize,
                                                     "an integer between 1 and " + std::to_string(kMaxBatchSize)));
    }
    if (document.contains("max_events")) {
        config.max_events = read_unsigned(document.at("max_events"), "max_events", 0,
                                          std::numeric_limits<std::uint64_t>::max(), "a non-negative integer");
    }
    if (document.contains("threads")) {
        const std::uint64_t limit = std::min<std::uint64_t>(kMaxThreads, config.symbols.size());
        config.threads = static_cast<std::uint32_t>(
            read_unsigned(document.at("threads"), "threads", 1, limit,
                          "an integer between 1 and " + std::to_string(limit) + " (at most one thread per symbol)"));
    }
    return config;
}

}  // namespace mdp::synthetic
