#pragma once
// GET /api/v1/symbols: per-symbol freshness, filtered and paged (docs/http-api.md).
// Query parameters: provider, state (fresh|stale|closed), search (part of the symbol, any
// case), offset (default 0), limit (1-1000, default 100). Anything else, a repeated
// parameter, a malformed value or an unknown provider is a 400 saying which.

#include "http/http_exchange.hpp"
#include "status/symbol_query.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <variant>

namespace mdp::http {

// Where the route gets its page. [any thread] thread-safe; may throw (the route answers 500).
using SymbolSource = std::function<status::SymbolPage(const status::SymbolQuery&)>;

inline constexpr std::size_t kMaxSymbolPageSize = 1000;

// The query of `query_string` (after '?', without it), or the reason it is not one.
[[nodiscard]] std::variant<status::SymbolQuery, std::string> parse_symbol_query(std::string_view query_string);

// The reply for request target `target` (path and query), from `source`.
[[nodiscard]] HttpReply symbols_reply(std::string_view target, const SymbolSource& source);

}  // namespace mdp::http
