#pragma once
// The JSON status document (GET /api/v1/status), documented field by field in
// docs/http-api.md. The status page renders exactly this.

#include "status/host_snapshot.hpp"
#include "http/readiness.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace mdp::http {

[[nodiscard]] nlohmann::json status_to_json(const status::HostSnapshot& snapshot, const ReadinessReport& readiness);

// Serialises any document the API returns. Plugin-supplied strings are arbitrary bytes:
// invalid UTF-8 is replaced by U+FFFD, so the result is always valid JSON.
[[nodiscard]] std::string dump_json(const nlohmann::json& document);

}  // namespace mdp::http
