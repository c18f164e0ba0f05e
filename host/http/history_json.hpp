#pragma once
// GET /api/v1/history: the status page's chart data (status/history_snapshot.hpp) as one
// column-wise JSON document, documented in docs/http-api.md.

#include "status/history_snapshot.hpp"

#include <nlohmann/json.hpp>

#include <functional>

namespace mdp::http {

// Where the route gets its history. [any thread] thread-safe; may throw (the route answers 500).
using HistorySource = std::function<status::HistorySnapshot()>;

// Rates are rounded to 0.01/s (the charts show no finer) to keep the document small; a
// missing rate is null.
[[nodiscard]] nlohmann::json history_to_json(const status::HistorySnapshot& history);

}  // namespace mdp::http
