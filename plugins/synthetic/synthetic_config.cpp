#include "synthetic_config.hpp"

#include <mdp/sdk/config_reader.hpp>

#include <algorithm>
#include <limits>
#include <set>

namespace mdp::synthetic {

namespace {

using nlohmann::json;

// Longest bar interval accepted: one week, so interval_ns stays far from overflow.
constexpr std::int64_t kMaxBarIntervalSeconds = std::int64_t{7} * 24 * 3600;
// A mid price above this is not a realistic instrument and risks overflowing tick math.
constexpr double kMaxStartPrice = 1e9;
// A per-event relative stdev above 10% would make the walk meaningless.
constexpr double kMaxVolatility = 0.1;

// A JSON integer within [min, max] (1.5 and 2.0 are rejected: a count is never fractional),
// with this provider's own wording of what is expected.
std::uint64_t read_unsigned(const json& value, const std::string& path, std::uint64_t min, std::uint64_t max,
                            const std::string& expected) {
    const bool in_range =
        (value.is_number_unsigned() || (value.is_number_integer() && value.get<std::int64_t>() >= 0)) &&
        value.get<std::uint64_t>() >= min && value.get<std::uint64_t>() <= max;
    if (!in_range) {
        throw ConfigProblem(path, "expected " + expected + ", found " + sdk::describe_json_value(value));
    }
    return value.get<std::uint64_t>();
}

std::optional<std::uint64_t> optional_unsigned(sdk::ConfigReader& reader, const std::string& key, std::uint64_t min,
                                               std::uint64_t max, const std::string& expected) {
    const json* value = reader.member(key);
    if (value == nullptr) {
        return std::nullopt;
    }
    return read_unsigned(*value, reader.path_of(key), min, max, expected);
}

double optional_number(sdk::ConfigReader& reader, const std::string& key, double min, double max, double fallback,
                       const std::string& expected) {
    const json* value = reader.member(key);
    if (value == nullptr) {
        return fallback;
    }
    if (!value->is_number() || !(value->get<double>() >= min && value->get<double>() <= max)) {
        reader.fail_at(key, expected, *value);
    }
    return value->get<double>();
}

std::vector<std::string> read_symbols(sdk::ConfigReader& reader) {
    const std::string expected = "a non-empty list of symbol strings";
    const json* value = reader.member("symbols");
    if (value == nullptr) {
        reader.fail_at("symbols", expected + ", found nothing (the key is required)");
    }
    if (!value->is_array() || value->empty()) {
        reader.fail_at("symbols", expected, *value);
    }
    std::vector<std::string> symbols;
    std::set<std::string> seen;
    for (const auto& element : reader.elements("symbols")) {
        if (!element.value.is_string() || element.value.get<std::string>().empty() ||
            element.value.get<std::string>().size() > kMaxSymbolLength) {
            throw ConfigProblem(element.path, "expected a non-empty string of at most " +
                                                  std::to_string(kMaxSymbolLength) + " characters, found " +
                                                  sdk::describe_json_value(element.value));
        }
        if (!seen.insert(element.value.get<std::string>()).second) {
            throw ConfigProblem(
                element.path, "expected a symbol not listed before, found " + sdk::describe_json_value(element.value));
        }
        symbols.push_back(element.value.get<std::string>());
    }
    return symbols;
}

std::vector<std::int64_t> read_bar_intervals(sdk::ConfigReader& reader, std::vector<std::int64_t> fallback) {
    if (!reader.has("bar_intervals_seconds")) {
        reader.accept("bar_intervals_seconds");
        return fallback;
    }
    std::vector<std::int64_t> intervals;
    for (const auto& element : reader.elements("bar_intervals_seconds", "a list of positive integers (seconds)")) {
        const auto seconds = static_cast<std::int64_t>(
            read_unsigned(element.value, element.path, 1, kMaxBarIntervalSeconds,
                          "an integer number of seconds between 1 and " + std::to_string(kMaxBarIntervalSeconds)));
        if (std::find(intervals.begin(), intervals.end(), seconds) != intervals.end()) {
            throw ConfigProblem(element.path, "expected an interval not listed before, found " +
                                                  sdk::describe_json_value(element.value));
        }
        intervals.push_back(seconds);
    }
    return intervals;
}

// [{"symbol": "MSFT", "after_seconds": 2.5}]: each symbol one of `symbols`, listed once;
// every worker (symbol i runs on worker i % threads) keeps a symbol that never pauses, so a
// worker always has something to publish.
std::map<std::string, double> read_pauses(sdk::ConfigReader& reader, const std::vector<std::string>& symbols,
                                          std::uint32_t threads) {
    std::map<std::string, double> pauses;
    for (const auto& element : reader.elements("pause_symbols", "a list of {\"symbol\", \"after_seconds\"} objects")) {
        if (!element.value.is_object()) {
            throw ConfigProblem(element.path, "expected an object {\"symbol\", \"after_seconds\"}, found " +
                                                  sdk::describe_json_value(element.value));
        }
        sdk::ConfigReader entry(element.value, element.path);
        const std::string symbol = entry.string("symbol");
        if (std::find(symbols.begin(), symbols.end(), symbol) == symbols.end()) {
            entry.fail_at("symbol", "a symbol listed in symbols", nlohmann::json(symbol));
        }
        if (!pauses.emplace(symbol, entry.number("after_seconds", 0.0, 1e9)).second) {
            entry.fail_at("symbol", "a symbol not paused before", nlohmann::json(symbol));
        }
        entry.finish();
    }
    for (std::uint32_t worker = 0; worker < threads; ++worker) {
        bool keeps_one = false;
        for (std::size_t index = worker; index < symbols.size(); index += threads) {
            keeps_one = keeps_one || pauses.count(symbols[index]) == 0;
        }
        if (!keeps_one) {
            reader.fail_at("pause_symbols",
                           "at least one symbol of every worker thread left unpaused (symbol i runs "
                           "on thread i % threads)");
        }
    }
    return pauses;
}

}  // namespace

SyntheticConfig parse_synthetic_config(std::string_view json_text) {
    const json document = sdk::ConfigReader::parse(json_text);
    sdk::ConfigReader reader(document);
    SyntheticConfig config;
    config.symbols = read_symbols(reader);
    config.rate_per_symbol = optional_number(reader, "rate_per_symbol", 0.0, 1e9, config.rate_per_symbol,
                                             "a number of events per second >= 0 (0 = unthrottled)");
    config.trade_ratio =
        optional_number(reader, "trade_ratio", 0.0, 1.0, config.trade_ratio, "a number between 0 and 1");
    config.seed =
        optional_unsigned(reader, "seed", 0, std::numeric_limits<std::uint64_t>::max(), "a non-negative integer");
    config.start_price = optional_number(reader, "start_price", 0.0001, kMaxStartPrice, config.start_price,
                                         "a price between 0.0001 and 1e9");
    config.volatility = optional_number(reader, "volatility", 0.0, kMaxVolatility, config.volatility,
                                        "a relative standard deviation per event between 0 and 0.1");
    config.bar_intervals_seconds = read_bar_intervals(reader, config.bar_intervals_seconds);
    config.batch_size =
        static_cast<std::uint32_t>(optional_unsigned(reader, "batch_size", 1, kMaxBatchSize,
                                                     "an integer between 1 and " + std::to_string(kMaxBatchSize))
                                       .value_or(config.batch_size));
    config.max_events =
        optional_unsigned(reader, "max_events", 0, std::numeric_limits<std::uint64_t>::max(), "a non-negative integer");
    const std::uint64_t max_threads = std::min<std::uint64_t>(kMaxThreads, config.symbols.size());
    config.threads =
        static_cast<std::uint32_t>(optional_unsigned(reader, "threads", 1, max_threads,
                                                     "an integer between 1 and " + std::to_string(max_threads) +
                                                         " (at most one thread per symbol)")
                                       .value_or(config.threads));
    config.pause_symbols = read_pauses(reader, config.symbols, config.threads);
    reader.finish();
    return config;
}

SyntheticConfig owned_by_shard(SyntheticConfig config, const sdk::Shard& shard) {
    config.symbols = shard.owned(config.symbols);
    std::erase_if(config.pause_symbols, [&](const auto& entry) { return !shard.owns(entry.first); });
    config.threads = std::min<std::uint32_t>(config.threads, static_cast<std::uint32_t>(config.symbols.size()));
    return config;
}

SyntheticConfig parse_synthetic_config_for(std::string_view json_text, const sdk::Host& host) {
    SyntheticConfig config = parse_synthetic_config(json_text);
    return owned_by_shard(std::move(config), sdk::Shard(host));
}

}  // namespace mdp::synthetic
