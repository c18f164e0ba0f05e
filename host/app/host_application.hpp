#pragma once
// Wires the host together for one run: store queue, backpressure controller and rate control,
// store coordinator with its sinks, provider registry, HTTP server. Owns them all; the order
// of members is the order of construction. Shutdown is not the reverse of start but the order
// that loses nothing (docs/architecture.md, "Lifecycle and its ordering"):
//   start:    sinks open -> providers created -> HTTP -> feedback + coordinator + bar timer
//             + history sampler -> providers start
//   reload:   on the control thread, when a reload request or SIGHUP wakes it
//             (config_reloader.hpp)
//   shutdown: pending control requests answered 409 -> providers stopped (all at once, queue
//             still open, coordinator still draining) -> bar timer stopped, open bars queued
//             -> queue closed -> queue drained into sinks -> feedback and HTTP stopped ->
//             history sampler stopped -> summary logged -> providers destroyed, plugins unloaded

#include "app/config_reloader.hpp"
#include "app/history_ring.hpp"
#include "app/history_sampler.hpp"
#include "status/history_snapshot.hpp"
#include "status/host_snapshot.hpp"
#include "app/provider_control.hpp"
#include "app/reload_requests.hpp"
#include "app/shutdown_signal.hpp"
#include "config/host_config.hpp"
#include "pipeline/backpressure_controller.hpp"
#include "pipeline/bar_timer.hpp"
#include "pipeline/feedback_webhook.hpp"
#include "pipeline/rate_control.hpp"
#include "pipeline/store_coordinator.hpp"
#include "pipeline/stored_acks.hpp"
#include "pipeline/event_origins.hpp"
#include "pipeline/store_queue.hpp"
#include "pipeline/symbol_tracker.hpp"
#include "plugins/plugin_catalog.hpp"
#include "plugins/provider_registry.hpp"
#include "plugins/provider_supervisor.hpp"

#include <memory>
#include <string>

namespace mdp::http {
class HttpServer;
}

namespace mdp::app {

class HostApplication {
   public:
    // Builds every component from a validated config (sinks are created but not opened).
    // Throws config::ConfigError for sink settings that do not validate.
    explicit HostApplication(config::HostConfig config);
    ~HostApplication();
    HostApplication(const HostApplication&) = delete;
    HostApplication& operator=(const HostApplication&) = delete;

    // [control-thread] Runs until `shutdown` fires or a required provider fails; returns the
    // process exit code (0 clean; 1 a required provider failed, a sink could not open, the
    // HTTP port could not be bound, accepted events could not be stored, or events were
    // dropped for shutdown).
    int run(ShutdownSignal& shutdown);

    // [control-thread, after run()] A provider call never returned: the process must end
    // without running destructors that plugin code might still race with.
    [[nodiscard]] bool has_abandoned_providers() const { return providers_.any_hung(); }

    // [any-thread] Everything the host reports, for HTTP and the summary.
    [[nodiscard]] status::HostSnapshot snapshot() const;
    // [any-thread] One page of per-symbol freshness (GET /api/v1/symbols).
    [[nodiscard]] status::SymbolPage symbols(const status::SymbolQuery& query) const;
    // [any-thread] The last minutes of queue depth, backpressure and rates (GET /api/v1/history).
    [[nodiscard]] status::HistorySnapshot history() const;

   private:
    int start_or_fail();
    // [control-thread] A pending reload (SIGHUP or POST /api/v1/reload), if any.
    void reload_if_requested(ShutdownSignal& signals);
    int shut_down(int exit_code);
    void log_summary() const;
    void log_started() const;
    // [sampler thread] The counters, depth and level the history samples now.
    [[nodiscard]] HistoryReading history_reading() const;

    config::HostConfig config_;
    std::string run_id_;
    std::int64_t started_at_ns_ = 0;
    // Outlive the coordinator and the providers, which use them.
    pipeline::StoredAcks stored_acks_;  // settlements of providers that subscribed to them
    pipeline::EventOrigins event_origins_;  // shared with the sinks
    pipeline::StoreQueue queue_;
    pipeline::BackpressureController controller_;
    pipeline::RateControl rate_control_;
    std::unique_ptr<pipeline::FeedbackWebhook> webhook_;  // only with backpressure.feedback_urls
    pipeline::SymbolTracker symbols_;  // fed by the coordinator thread, read by HTTP
    std::unique_ptr<pipeline::StoreCoordinator> coordinator_;
    plugins::PluginCatalog catalog_;
    plugins::ProviderRegistry providers_;
    // Closes the providers' host-built bars on time; stopped before the registry goes.
    pipeline::BarTimer bar_timer_{[this](std::int64_t now_ns) { return providers_.close_due_bars(now_ns); }};
    sinks::ProviderNames provider_names_;  // shared with the sinks; grows with added providers
    plugins::ProviderSupervisor supervisor_;
    ProviderControl control_;
    ReloadRequests reload_requests_;
    ConfigReloader reloader_;
    const bool feedback_enabled_;  // config_ is replaced by reloads; this is not live
    HistoryRing history_;  // read by HTTP: outlives the server
    std::unique_ptr<http::HttpServer> http_server_;
    std::atomic<bool> startup_complete_{false};  // start_or_fail() succeeded
    std::atomic<bool> shutting_down_{false};
    bool coordinator_started_ = false;
    // Last: its thread reads the queue, the controller, the providers and the coordinator,
    // so it is destroyed (joined) before any of them.
    HistorySampler history_sampler_;
};

// The exit code once the losses of a run are known: `exit_code`, or 1 instead of 0 when
// accepted events were not stored or events were dropped for shutdown (both logged).
int exit_code_after_losses(int exit_code, std::uint64_t not_stored, std::uint64_t shutdown_drops);

// A random 128-bit run id in hex.
std::string make_run_id();

}  // namespace mdp::app
