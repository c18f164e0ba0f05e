// Config validation: defaults, and every bad value rejected with `<key>: expected ...`.
#include "synthetic_config.hpp"

#include <catch2/catch.hpp>

#include <string>

using mdp::synthetic::ConfigProblem;
using mdp::synthetic::parse_synthetic_config;
using mdp::synthetic::SyntheticConfig;

namespace {

std::string problem_of(const std::string& json) {
    try {
        parse_synthetic_config(json);
    } catch (const ConfigProblem& problem) {
        return problem.what();
    }
    return "(accepted)";
}

}  // namespace

TEST_CASE("synthetic config: defaults for everything but the symbols", "[synthetic][config]") {
    const SyntheticConfig config = parse_synthetic_config(R"({"symbols": ["AAPL", "MSFT"]})");
    CHECK(config.symbols == std::vector<std::string>{"AAPL", "MSFT"});
    CHECK(config.rate_per_symbol == 10.0);
    CHECK_FALSE(config.unthrottled());
    CHECK(config.trade_ratio == 0.2);
    CHECK_FALSE(config.seed.has_value());
    CHECK(config.start_price == 100.0);
    CHECK(config.volatility == 0.0005);
    CHECK(config.bar_intervals_seconds == std::vector<std::int64_t>{60});
    CHECK(config.batch_size == 256);
    CHECK_FALSE(config.max_events.has_value());
    CHECK(config.threads == 1);
}

TEST_CASE("synthetic config: every key is read", "[synthetic][config]") {
    const SyntheticConfig config = parse_synthetic_config(R"({
        "symbols": ["A", "B", "C"], "rate_per_symbol": 0, "trade_ratio": 1, "seed": 18446744073709551615,
        "start_price": 2.5, "volatility": 0.01, "bar_intervals_seconds": [1, 5, 60], "batch_size": 4096,
        "max_events": 0, "threads": 3})");
    CHECK(config.unthrottled());
    CHECK(config.trade_ratio == 1.0);
    CHECK(config.seed == 18446744073709551615ULL);
    CHECK(config.start_price == 2.5);
    CHECK(config.volatility == 0.01);
    CHECK(config.bar_intervals_seconds == std::vector<std::int64_t>{1, 5, 60});
    CHECK(config.batch_size == 4096);
    CHECK(config.max_events == 0u);
    CHECK(config.threads == 3);
}

TEST_CASE("synthetic config: an empty list of bar intervals turns bars off", "[synthetic][config]") {
    CHECK(parse_synthetic_config(R"({"symbols": ["A"], "bar_intervals_seconds": []})").bar_intervals_seconds.empty());
}

TEST_CASE("synthetic config: errors name the key and what was expected", "[synthetic][config]") {
    using Case = std::pair<std::string, std::string>;  // config, expected message prefix
    const auto [json, expected] = GENERATE(values<Case>({
        {R"({})", "symbols: expected a non-empty list of symbol strings, found nothing"},
        {R"({"symbols": []})", "symbols: expected a non-empty list of symbol strings, found an array"},
        {R"({"symbols": "AAPL"})", R"(symbols: expected a non-empty list of symbol strings, found "AAPL")"},
        {R"({"symbols": ["AAPL", 7]})", "symbols[1]: expected a non-empty string of at most 31 characters, found 7"},
        {R"({"symbols": [""]})", R"(symbols[0]: expected a non-empty string of at most 31 characters, found "")"},
        {R"({"symbols": ["ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"]})",
         "symbols[0]: expected a non-empty string of at most 31"},
        {R"({"symbols": ["A", "A"]})", R"(symbols[1]: expected a symbol not listed before, found "A")"},
        {R"({"symbols": ["A"], "rate_per_symbol": "x"})",
         R"(rate_per_symbol: expected a number of events per second >= 0 (0 = unthrottled), found "x")"},
        {R"({"symbols": ["A"], "rate_per_symbol": -1})",
         "rate_per_symbol: expected a number of events per second >= 0 (0 = unthrottled), found -1"},
        {R"({"symbols": ["A"], "trade_ratio": 1.5})", "trade_ratio: expected a number between 0 and 1, found 1.5"},
        {R"({"symbols": ["A", "B"], "pause_symbols": [{"symbol": "C", "after_seconds": 1}]})",
         R"(pause_symbols[0].symbol: expected a symbol listed in symbols, found "C")"},
        {R"({"symbols": ["A", "B"], "pause_symbols": [{"symbol": "B"}]})",
         "pause_symbols[0].after_seconds: expected a number from 0 to"},
        {R"({"symbols": ["A", "B"], "pause_symbols": [{"symbol": "B", "after_seconds": 1}, {"symbol": "B", "after_seconds": 2}]})",
         R"(pause_symbols[1].symbol: expected a symbol not paused before, found "B")"},
        {R"({"symbols": ["A", "B"], "pause_symbols": ["B"]})",
         R"(pause_symbols[0]: expected an object {"symbol", "after_seconds"}, found "B")"},
        {R"({"symbols": ["A", "B"], "threads": 2, "pause_symbols": [{"symbol": "B", "after_seconds": 1}]})",
         "pause_symbols: expected at least one symbol of every worker thread left unpaused"},
        {R"({"symbols": ["A"], "trade_ratio": true})", "trade_ratio: expected a number between 0 and 1, found true"},
        {R"({"symbols": ["A"], "seed": -3})", "seed: expected a non-negative integer, found -3"},
        {R"({"symbols": ["A"], "seed": 1.5})", "seed: expected a non-negative integer, found 1.5"},
        {R"({"symbols": ["A"], "start_price": 0})", "start_price: expected a price between 0.0001 and 1e9, found 0"},
        {R"({"symbols": ["A"], "volatility": -0.1})",
         "volatility: expected a relative standard deviation per event between 0 and 0.1, found -0.1"},
        {R"({"symbols": ["A"], "bar_intervals_seconds": 60})",
         "bar_intervals_seconds: expected a list of positive integers (seconds), found 60"},
        {R"({"symbols": ["A"], "bar_intervals_seconds": [60, 0]})",
         "bar_intervals_seconds[1]: expected an integer number of seconds between 1 and 604800, found 0"},
        {R"({"symbols": ["A"], "bar_intervals_seconds": [60, 60]})",
         "bar_intervals_seconds[1]: expected an interval not listed before, found 60"},
        {R"({"symbols": ["A"], "batch_size": 0})", "batch_size: expected an integer between 1 and 4096, found 0"},
        {R"({"symbols": ["A"], "batch_size": 5000})", "batch_size: expected an integer between 1 and 4096, found 5000"},
        {R"({"symbols": ["A"], "max_events": "10"})", R"(max_events: expected a non-negative integer, found "10")"},
        {R"({"symbols": ["A", "B"], "threads": 3})",
         "threads: expected an integer between 1 and 2 (at most one thread per symbol), found 3"},
        {R"({"symbols": ["A"], "threads": 0})", "threads: expected an integer between 1 and 1"},
        {R"({"symbols": ["A"], "rate": 5})", R"(rate: unknown key; expected one of "bar_intervals_seconds", )"},
        {R"({"symbols": ["A"], "rate_per_symbl": 5})", R"(rate_per_symbl: unknown key; expected one of )"},
        // About the whole object: no key (the host then names the config object itself).
        {R"([1, 2])", "expected an object, found an array"},
        {R"({"symbols": )", "expected a JSON object ("},
    }));
    INFO("config " << json);
    const std::string message = problem_of(json);
    CHECK(message.rfind(expected, 0) == 0);
    CHECK_THAT(message, Catch::Matchers::StartsWith(expected));
}

TEST_CASE("synthetic config: empty text and null mean an empty object", "[synthetic][config]") {
    CHECK(problem_of("").rfind("symbols: ", 0) == 0);
    CHECK(problem_of("null").rfind("symbols: ", 0) == 0);
}

TEST_CASE("synthetic config: long string values are shortened in messages", "[synthetic][config]") {
    const std::string message =
        problem_of(R"({"symbols": ["A"], "rate_per_symbol": ")" + std::string(500, 'z') + "\"}");
    CHECK(message.size() < 200);
    CHECK(message.find("...") != std::string::npos);
}
