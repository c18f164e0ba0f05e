#pragma once
// A question to the symbol tracker and its answer: GET /api/v1/symbols and the status page
// read per-symbol freshness through these plain values.

#include "common/event_type.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mdp::status {

enum class SymbolState { fresh, stale, closed };

[[nodiscard]] std::string_view to_string(SymbolState state);
// "fresh" -> fresh; nullopt for anything else.
[[nodiscard]] std::optional<SymbolState> symbol_state_from(std::string_view text);

struct SymbolQuery {
    std::optional<std::string> provider;  // instance name; unset = every provider
    std::optional<SymbolState> state;  // unset = every state
    std::string search;  // case-insensitive part of the symbol; empty = every symbol
    std::size_t offset = 0;  // rows skipped, in (provider, symbol) order
    std::size_t limit = 100;  // rows returned at most
};

struct SymbolRow {
    std::string provider;
    std::string symbol;
    SymbolState state = SymbolState::fresh;
    std::int64_t last_seen_ns = 0;  // any type; 0 = never
    common::PerEventType<std::int64_t> last_seen_ns_by_type;  // 0 = never
    double last_price = 0.0;  // NaN when none was seen
    std::uint64_t events_last_minute = 0;
};

// One provider's symbols by state, at one instant.
struct ProviderSymbolCounts {
    std::string provider;
    std::uint64_t fresh = 0;
    std::uint64_t stale = 0;
    std::uint64_t closed = 0;
    // Events of new symbols beyond freshness.max_symbols: seen, stored, not tracked.
    std::uint64_t untracked_events = 0;
    std::int64_t stale_after_seconds = 0;
    std::string trading_hours;  // "" = always open
    bool market_open = true;
};

struct SymbolPage {
    std::int64_t now_ns = 0;  // the instant the states were judged at
    std::size_t total = 0;  // rows matching the query, before offset and limit
    std::vector<SymbolRow> rows;
    std::vector<ProviderSymbolCounts> providers;  // every tracked provider, whatever the filter
    bool provider_known = true;  // false: query.provider names no tracked provider
};

}  // namespace mdp::status
