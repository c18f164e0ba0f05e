#include "http/request_router.hpp"

#include "build_info.hpp"
#include "http/metrics_document.hpp"
#include "http/json_reply.hpp"
#include "http/status_json.hpp"
#include "http/status_page.hpp"
#include "http/symbols_route.hpp"
#include "metrics/exposition_writer.hpp"
#include "metrics/process_stats.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>

namespace mdp::http {
namespace {

using nlohmann::json;

constexpr std::string_view kHtmlContentType = "text/html; charset=utf-8";

// The page's own script and styles are inline; it talks only to this server.
constexpr std::string_view kStatusPagePolicy =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
    "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

enum class Route { status_page, health, ready, started, metrics, status, symbols, history, none };

struct RouteEntry {
    std::string_view path;
    Route route;
};

constexpr std::array<RouteEntry, 8> kRoutes{{{"/", Route::status_page},
                                             {"/health", Route::health},
                                             {"/ready", Route::ready},
                                             {"/started", Route::started},
                                             {"/metrics", Route::metrics},
                                             {"/api/v1/status", Route::status},
                                             {"/api/v1/symbols", Route::symbols},
                                             {"/api/v1/history", Route::history}}};

Route find_route(std::string_view path) {
    for (const RouteEntry& entry : kRoutes) {
        if (entry.path == path) {
            return entry.route;
        }
    }
    return Route::none;
}

HttpReply error_reply(unsigned status, std::string_view message) { return json_reply(status, {{"error", message}}); }

}  // namespace

std::string_view path_of(std::string_view target) noexcept {
    const std::size_t end = target.find_first_of("?#");
    return end == std::string_view::npos ? target : target.substr(0, end);
}

std::string_view query_of(std::string_view target) noexcept {
    const std::size_t end = target.find('#');
    const std::string_view before_fragment = end == std::string_view::npos ? target : target.substr(0, end);
    const std::size_t question = before_fragment.find('?');
    return question == std::string_view::npos ? std::string_view() : before_fragment.substr(question + 1);
}

RequestRouter::RequestRouter(SnapshotSource snapshot, RouterOptions options)
    : snapshot_(std::move(snapshot)), options_(std::move(options)),
      control_route_(options_.admin_token, options_.control, options_.control_limits),
      created_at_(std::chrono::steady_clock::now()) {}

RouteOutcome RequestRouter::route(const HttpRequestLine& request) const {
    const std::string_view path = path_of(request.target);
    if (control_route_.enabled() && ProviderControlRoute::matches(path)) {
        return control_route_.handle(request, path);
    }
    return {read_only_reply(request, path), {}};
}

HttpReply RequestRouter::handle(const HttpRequestLine& request) const {
    RouteOutcome outcome = route(request);
    if (!outcome.deferred) {
        return std::move(outcome.reply);
    }
    // Shared with the completion, which a handler may keep and call later, on any thread.
    struct Answer {
        std::mutex mutex;
        std::optional<status::ControlResult> result;
    };
    const auto answer = std::make_shared<Answer>();
    outcome.deferred->start([answer](status::ControlResult result) {
        const std::lock_guard lock(answer->mutex);
        answer->result = std::move(result);
    });
    const std::lock_guard lock(answer->mutex);
    return outcome.deferred->render(answer->result.value_or(outcome.deferred->time_limit_result));
}

HttpReply RequestRouter::read_only_reply(const HttpRequestLine& request, std::string_view path) const {
    const Route route = find_route(path);
    if (route == Route::none || (route == Route::metrics && !options_.metrics_enabled) ||
        (route == Route::symbols && !options_.symbols) || (route == Route::history && !options_.history)) {
        return error_reply(404, "not found: " + std::string(path));
    }
    if (request.method != "GET" && request.method != "HEAD") {
        HttpReply reply = error_reply(405, "method " + std::string(request.method) + " not allowed on " +
                                               std::string(path) + "; use GET or HEAD");
        reply.headers.emplace_back("Allow", "GET, HEAD");
        return reply;
    }
    try {
        switch (route) {
            case Route::status_page:
                return status_page();
            case Route::health:
                return health();
            case Route::ready:
                return ready();
            case Route::started:
                return started();
            case Route::metrics:
                return metrics();
            case Route::status:
                return status();
            case Route::symbols:
                return symbols_reply(request.target, options_.symbols);
            case Route::history:
                return history();
            case Route::none:
                break;
        }
    } catch (const std::exception& error) {
        spdlog::warn("http: {} failed: {}", path, error.what());
        return error_reply(500, std::string("internal error: ") + error.what());
    } catch (...) {
        spdlog::warn("http: {} failed with an unknown exception", path);
        return error_reply(500, "internal error");
    }
    return error_reply(404, "not found: " + std::string(path));
}

// Liveness: answers from the HTTP thread alone, without a snapshot, so a wedged pipeline
// (which /ready reports) never makes the process look dead.
HttpReply RequestRouter::health() const {
    const double uptime_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - created_at_).count();
    return json_reply(200, {{"status", "healthy"}, {"version", kVersion}, {"uptime_seconds", uptime_seconds}});
}

HttpReply RequestRouter::ready() const {
    const status::HostSnapshot snapshot = snapshot_();
    const ReadinessReport report = evaluate_readiness(snapshot, options_.readiness);
    return json_reply(
        report.ready ? 200 : 503,
        {{"status", report.ready ? "ready" : "not_ready"}, {"reasons", report.reasons}, {"notes", report.notes}});
}

HttpReply RequestRouter::started() const {
    const status::HostSnapshot snapshot = snapshot_();
    const ReadinessReport report = evaluate_startup(snapshot);
    const char* status = snapshot.shutting_down ? "shutting_down" : report.ready ? "started" : "starting";
    return json_reply(report.ready ? 200 : 503, {{"status", status}, {"reasons", report.reasons}});
}

HttpReply RequestRouter::metrics() const {
    HttpReply reply;
    reply.content_type = metrics::kExpositionContentType;
    reply.body = render_metrics_document(snapshot_(), metrics::read_process_stats());
    return reply;
}

HttpReply RequestRouter::status() const {
    const status::HostSnapshot snapshot = snapshot_();
    return json_reply(200, status_to_json(snapshot, evaluate_readiness(snapshot, options_.readiness)));
}

HttpReply RequestRouter::history() const { return json_reply(200, history_to_json(options_.history())); }

HttpReply RequestRouter::status_page() {
    HttpReply reply;
    reply.content_type = kHtmlContentType;
    reply.body = std::string(status_page_html());
    reply.headers.emplace_back("Content-Security-Policy", std::string(kStatusPagePolicy));
    return reply;
}

}  // namespace mdp::http
