#pragma once
// POST /api/v1/providers/{name}/{action}, action one of restart, stop, start: operator
// control of provider instances. The route exists only when an admin token is configured
// (and the host supplied a handler); every request must carry `Authorization: Bearer
// <token>`. Answers: 401 (with a Bearer challenge) when no token is offered, 403 when the
// offered token is wrong, 405 for another method, 404 for an unknown action, otherwise
// what the host's handler says (200, 404 unknown provider, 409 not possible now, 429 too
// many waiting), as JSON, or 504 when the handler has not answered within the time limit.

#include "http/http_exchange.hpp"
#include "http/provider_control_handler.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace mdp::http {

// How long a control request may take before it is answered 504 (it goes on regardless).
struct ControlTimeLimits {
    std::chrono::milliseconds provider_action{std::chrono::seconds(30)};
    std::chrono::milliseconds reload{std::chrono::seconds(60)};
};

class ProviderControlRoute {
   public:
    static constexpr std::string_view kPathPrefix = "/api/v1/providers/";
    // POST /api/v1/reload: re-read the config file (same token, same answers; the handler
    // gets provider "" and action "reload"; 409 while a reload runs).
    static constexpr std::string_view kReloadPath = "/api/v1/reload";

    ProviderControlRoute(std::string admin_token, ProviderControlHandler handler, ControlTimeLimits limits = {});

    [[nodiscard]] bool enabled() const { return !admin_token_.empty() && handler_ != nullptr; }
    [[nodiscard]] static bool matches(std::string_view path) {
        return path.starts_with(kPathPrefix) || path == kReloadPath;
    }

    // For a path that matches(); an accepted request comes back deferred: the handler is
    // called when the caller starts it.
    [[nodiscard]] RouteOutcome handle(const HttpRequestLine& request, std::string_view path) const;

   private:
    [[nodiscard]] RouteOutcome reload(const HttpRequestLine& request) const;
    [[nodiscard]] RouteOutcome provider_action(const HttpRequestLine& request, std::string provider,
                                               status::ControlAction action) const;

    std::string admin_token_;
    ProviderControlHandler handler_;
    ControlTimeLimits limits_;
};

// "%41b%2Fc" -> "Ab/c"; nullopt-like empty result with `ok` false on a malformed escape.
[[nodiscard]] std::string percent_decode(std::string_view text, bool& ok);

}  // namespace mdp::http
