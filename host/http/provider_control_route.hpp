#pragma once
// POST /api/v1/providers/{name}/{action}, action one of restart, stop, start: operator
// control of provider instances. The route exists only when an admin token is configured
// (and the host supplied a handler); every request must carry `Authorization: Bearer
// <token>`. Answers: 401 (with a Bearer challenge) when no token is offered, 403 when the
// offered token is wrong, 405 for another method, 404 for an unknown action, otherwise
// what the host's handler says (200, 404 unknown provider, 409 not possible now, 504 timed
// out), as JSON.

#include "http/http_exchange.hpp"
#include "http/provider_control_handler.hpp"

#include <string>
#include <string_view>

namespace mdp::http {

class ProviderControlRoute {
   public:
    static constexpr std::string_view kPathPrefix = "/api/v1/providers/";
    // POST /api/v1/reload: re-read the config file (same token, same answers; the handler
    // gets provider "" and action "reload"; 409 while a reload runs).
    static constexpr std::string_view kReloadPath = "/api/v1/reload";

    ProviderControlRoute(std::string admin_token, ProviderControlHandler handler);

    [[nodiscard]] bool enabled() const { return !admin_token_.empty() && handler_ != nullptr; }
    [[nodiscard]] static bool matches(std::string_view path) {
        return path.starts_with(kPathPrefix) || path == kReloadPath;
    }

    // For a path that matches(); the handler call is deferred (it may block).
    [[nodiscard]] RouteOutcome handle(const HttpRequestLine& request, std::string_view path) const;

   private:
    std::string admin_token_;
    ProviderControlHandler handler_;
};

// "%41b%2Fc" -> "Ab/c"; nullopt-like empty result with `ok` false on a malformed escape.
[[nodiscard]] std::string percent_decode(std::string_view text, bool& ok);

}  // namespace mdp::http
