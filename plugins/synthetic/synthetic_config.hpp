#pragma once
// The synthetic provider's settings, parsed and validated from the provider's "config"
// object (JSON text). plugins/synthetic/README.md documents every key.
//
// Errors follow the plugin convention `<path inside config>: <what was expected>`, e.g.
// `rate_per_symbol: expected a number >= 0, found "x"`; the host prefixes the file and
// `providers[<i>].config.`. An error about the config object as a whole (not JSON, not an
// object) names no key. Unknown keys are errors, so typos never pass silently.

#include <mdp/sdk/config_problem.hpp>
#include <mdp/sdk/shard.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mdp::synthetic {

// Longest symbol the event record can carry (MDP_SYMBOL_CAPACITY minus the NUL).
inline constexpr std::size_t kMaxSymbolLength = 31;
inline constexpr std::uint32_t kMaxBatchSize = 4096;
inline constexpr std::uint32_t kMaxThreads = 64;

struct SyntheticConfig {
    std::vector<std::string> symbols;  // required, non-empty, unique
    double rate_per_symbol = 10.0;  // events/s per symbol; 0 = unthrottled
    double trade_ratio = 0.2;  // fraction of events that are trades
    std::optional<std::uint64_t> seed;  // unset = random per start
    double start_price = 100.0;  // first mid price of every symbol
    double volatility = 0.0005;  // relative stdev of the mid per event
    std::vector<std::int64_t> bar_intervals_seconds{60};  // empty = no bars
    std::uint32_t batch_size = 256;  // events per publish call, 1..4096
    std::optional<std::uint64_t> max_events;  // total events (all types), then idle
    std::uint32_t threads = 1;  // worker threads, 1..number of symbols
    // Symbols that stop publishing this many seconds after start (a stalled feed, for
    // freshness tests); every worker thread keeps at least one symbol that never pauses.
    std::map<std::string, double> pause_symbols;  // symbol -> after_seconds

    [[nodiscard]] bool unthrottled() const noexcept { return rate_per_symbol == 0.0; }
};

// Thrown for invalid settings: the SDK's one config error (path and message as data).
using ConfigProblem = sdk::ConfigProblem;

// Parses and validates `json_text` (the provider's "config" object; empty text or `null`
// count as `{}`). Throws ConfigProblem.
SyntheticConfig parse_synthetic_config(std::string_view json_text);

// The part of `config` that `shard` generates: the symbols it owns (in their order) and their
// pauses; threads capped at that count (0 when it owns none: the instance then idles).
SyntheticConfig owned_by_shard(SyntheticConfig config, const sdk::Shard& shard);

// parse_synthetic_config, then owned_by_shard with the host's shard (parsed first, so a bad
// config is reported before the host is asked anything).
SyntheticConfig parse_synthetic_config_for(std::string_view json_text, const sdk::Host& host);

}  // namespace mdp::synthetic
