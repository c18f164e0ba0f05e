#pragma once
// The host's HTTP server (Boost.Beast, one io thread): /metrics, /health, /ready, the status
// page and /api/v1/status, all rendered from snapshots. docs/http-api.md describes the
// routes, limits and timeouts.

#include "config/host_config.hpp"
#include "http/history_json.hpp"
#include "http/provider_control_handler.hpp"
#include "http/provider_control_route.hpp"
#include "http/snapshot_source.hpp"
#include "http/symbols_route.hpp"

#include <cstddef>
#include <memory>

namespace mdp::http {

class HttpServer {
   public:
    HttpServer(const config::HttpConfig& config, SnapshotSource snapshot);
    // With the provider control API: POST /api/v1/providers/{name}/{restart|stop|start} and
    // /api/v1/reload call `control` (on the io thread; see provider_control_handler.hpp) when
    // config.admin_token is set, and answer 504 when it has not completed within
    // `control_limits`. With `symbols`, GET /api/v1/symbols serves per-symbol freshness from it;
    // with `history`, GET /api/v1/history serves the status page's chart data from it.
    HttpServer(const config::HttpConfig& config, SnapshotSource snapshot, ProviderControlHandler control,
               SymbolSource symbols = {}, HistorySource history = {}, ControlTimeLimits control_limits = {});
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // [control thread] Binds, listens and starts the io thread. Throws std::runtime_error
    // ("cannot listen on 0.0.0.0:8000: Address already in use") when it cannot. Once only.
    void start();
    // [control thread] Stops accepting, closes every connection (a control request still
    // pending gets no answer; its completion, if it comes, finds the session gone), joins the
    // io thread. Idempotent; the destructor calls it. Never call it from a snapshot source or
    // the control handler.
    void stop();
    // The bound port (config port 0 = an ephemeral port, chosen at start()).
    [[nodiscard]] unsigned short port() const;

    // [any thread] Open connections right now, and how many idle ones were closed to make
    // room for new ones (see ConnectionRegistry).
    [[nodiscard]] std::size_t open_connections() const;
    [[nodiscard]] std::size_t evicted_connections() const;

   private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mdp::http
