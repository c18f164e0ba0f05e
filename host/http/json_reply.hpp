#pragma once
// The one way a route answers with JSON: `document` as compact JSON text plus a newline,
// Content-Type application/json.

#include "http/http_exchange.hpp"

#include <nlohmann/json.hpp>

namespace mdp::http {

[[nodiscard]] HttpReply json_reply(unsigned status, const nlohmann::json& document);

}  // namespace mdp::http
