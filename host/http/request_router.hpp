#pragma once
// Maps a request line to a reply: GET/HEAD /, /health, /ready, /metrics, /api/v1/status,
// /api/v1/symbols, /api/v1/history,
// and (with an admin token and a control handler) POST /api/v1/providers/{name}/{action}.
// Unknown path: 404; known path with another method: 405 with Allow. /metrics answers 404
// when metrics are disabled (MDP_METRICS_ENABLE=false), as if it did not exist.

#include "http/history_json.hpp"
#include "http/http_exchange.hpp"
#include "http/provider_control_route.hpp"
#include "http/readiness.hpp"
#include "http/snapshot_source.hpp"
#include "http/symbols_route.hpp"

#include <chrono>

namespace mdp::http {

struct RouterOptions {
    bool metrics_enabled = true;
    ReadinessPolicy readiness;
    std::string admin_token;  // empty: no control API
    ProviderControlHandler control;  // null: no control API
    SymbolSource symbols;  // null: no /api/v1/symbols (404)
    HistorySource history;  // null: no /api/v1/history (404)
    ControlTimeLimits control_limits;  // when a control request is answered 504
};

class RequestRouter {
   public:
    RequestRouter(SnapshotSource snapshot, RouterOptions options);

    // [HTTP thread] Never throws: a failing snapshot source becomes a 500 reply. For HEAD the
    // caller sends the headers of the GET reply without its body. A control request comes
    // back as `deferred`, for the caller to start and to answer when it completes.
    [[nodiscard]] RouteOutcome route(const HttpRequestLine& request) const;
    // route(), with a deferred reply started right here, for callers without an io loop
    // (tests, the fuzzer): the reply when the control handler completes before it returns,
    // else the time-limit reply (504).
    [[nodiscard]] HttpReply handle(const HttpRequestLine& request) const;

   private:
    [[nodiscard]] HttpReply read_only_reply(const HttpRequestLine& request, std::string_view path) const;
    [[nodiscard]] HttpReply health() const;
    [[nodiscard]] HttpReply ready() const;
    [[nodiscard]] HttpReply started() const;
    [[nodiscard]] HttpReply metrics() const;
    [[nodiscard]] HttpReply status() const;
    [[nodiscard]] HttpReply history() const;
    [[nodiscard]] static HttpReply status_page();

    SnapshotSource snapshot_;
    RouterOptions options_;
    ProviderControlRoute control_route_;
    std::chrono::steady_clock::time_point created_at_;
};

// The path of a request target without query string or fragment.
[[nodiscard]] std::string_view path_of(std::string_view target) noexcept;
// The query string of a request target (after '?', before any '#'); empty when it has none.
[[nodiscard]] std::string_view query_of(std::string_view target) noexcept;

}  // namespace mdp::http
