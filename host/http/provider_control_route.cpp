#include "http/provider_control_route.hpp"

#include "http/bearer_token.hpp"
#include "http/json_reply.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>
#include <string>
#include <utility>

namespace mdp::http {
namespace {

int hex_value(char character) {
    if (character >= '0' && character <= '9') {
        return character - '0';
    }
    if (character >= 'a' && character <= 'f') {
        return character - 'a' + 10;
    }
    if (character >= 'A' && character <= 'F') {
        return character - 'A' + 10;
    }
    return -1;
}

// 401 with a challenge when no bearer token was offered, 403 when the offered one is wrong;
// nothing when it is the admin token. Both refusals are logged with the peer address.
std::optional<RouteOutcome> refuse_unauthorized(const HttpRequestLine& request, std::string_view path,
                                                std::string_view admin_token) {
    switch (check_bearer_token(request.authorization, admin_token)) {
        case BearerCheck::accepted:
            return std::nullopt;
        case BearerCheck::missing: {
            spdlog::warn("http: refused provider control {} from {}: no bearer token", path, request.remote);
            RouteOutcome outcome{
                json_reply(401, {{"error", "an Authorization: Bearer <admin token> header is required"}}), {}};
            outcome.reply.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"mdp\"");
            return outcome;
        }
        case BearerCheck::wrong:
            spdlog::warn("http: refused provider control {} from {}: wrong bearer token", path, request.remote);
            return RouteOutcome{json_reply(403, {{"error", "the bearer token is not the admin token"}}), {}};
    }
    return std::nullopt;  // unreachable: every BearerCheck is handled above
}

// "30 s" for whole seconds (the production limits), else "50 ms".
std::string describe_duration(std::chrono::milliseconds duration) {
    if (duration.count() % 1000 == 0) {
        return std::to_string(duration.count() / 1000) + " s";
    }
    return std::to_string(duration.count()) + " ms";
}

// The host's queue of provider actions is full: answered like the server's other refusals,
// {"error": ...}, with a hint when to try again.
HttpReply busy_reply(const std::string& message) {
    HttpReply reply = json_reply(429, {{"error", message}});
    reply.headers.emplace_back("Retry-After", "5");
    return reply;
}

HttpReply provider_action_reply(const std::string& provider, status::ControlAction action,
                                const status::ControlResult& result) {
    if (result.http_status == 429) {
        return busy_reply(result.message);
    }
    return json_reply(static_cast<unsigned>(result.http_status), {{"provider", provider},
                                                                  {"action", std::string(status::to_string(action))},
                                                                  {"status", result.http_status},
                                                                  {"message", result.message}});
}

HttpReply reload_reply(const status::ControlResult& result) {
    nlohmann::json document = result.details.is_object() ? result.details : nlohmann::json::object();
    document["action"] = "reload";
    document["status"] = result.http_status;
    document["message"] = result.message;
    return json_reply(static_cast<unsigned>(result.http_status), document);
}

}  // namespace

std::string percent_decode(std::string_view text, bool& ok) {
    std::string decoded;
    decoded.reserve(text.size());
    ok = true;
    for (std::size_t index = 0; index < text.size(); ++index) {
        if (text[index] != '%') {
            decoded.push_back(text[index]);
            continue;
        }
        const int high = index + 2 < text.size() ? hex_value(text[index + 1]) : -1;
        const int low = index + 2 < text.size() ? hex_value(text[index + 2]) : -1;
        if (high < 0 || low < 0) {
            ok = false;
            return {};
        }
        decoded.push_back(static_cast<char>(high * 16 + low));
        index += 2;
    }
    return decoded;
}

ProviderControlRoute::ProviderControlRoute(std::string admin_token, ProviderControlHandler handler,
                                           ControlTimeLimits limits)
    : admin_token_(std::move(admin_token)), handler_(std::move(handler)), limits_(limits) {}

RouteOutcome ProviderControlRoute::handle(const HttpRequestLine& request, std::string_view path) const {
    const bool is_reload = path == kReloadPath;
    const std::string_view rest = is_reload ? std::string_view("/reload") : path.substr(kPathPrefix.size());
    const std::size_t slash = rest.rfind('/');
    if (!is_reload && (slash == std::string_view::npos || slash == 0)) {
        return {json_reply(404, {{"error", "not found: " + std::string(path) +
                                               "; use /api/v1/providers/{name}/{restart|stop|start}"}}),
                {}};
    }
    if (request.method != "POST") {
        RouteOutcome outcome{json_reply(405, {{"error", "method " + std::string(request.method) + " not allowed on " +
                                                            std::string(path) + "; use POST"}}),
                             {}};
        outcome.reply.headers.emplace_back("Allow", "POST");
        return outcome;
    }
    if (std::optional<RouteOutcome> refusal = refuse_unauthorized(request, path, admin_token_)) {
        return std::move(*refusal);
    }
    if (is_reload) {
        return reload(request);
    }
    const std::string_view action_name = rest.substr(slash + 1);
    const std::optional<status::ControlAction> action = status::provider_action_of(action_name);
    if (!action) {
        return {json_reply(404, {{"error",
                                  "unknown action \"" + std::string(action_name) + "\"; use restart, stop or start"}}),
                {}};
    }
    bool decoded_ok = false;
    std::string provider = percent_decode(rest.substr(0, slash), decoded_ok);
    if (!decoded_ok || provider.empty()) {
        return {json_reply(400, {{"error", "malformed provider name in " + std::string(path)}}), {}};
    }
    return provider_action(request, std::move(provider), *action);
}

RouteOutcome ProviderControlRoute::reload(const HttpRequestLine& request) const {
    DeferredReply deferred;
    deferred.start = [handler = handler_, requester = std::string(request.remote)](status::ControlCompletion done) {
        handler("", status::ControlAction::reload, requester, std::move(done));
    };
    deferred.render = reload_reply;
    deferred.time_limit = limits_.reload;
    deferred.time_limit_result = {504, "the reload did not finish within " + describe_duration(limits_.reload) +
                                           "; it goes on in the background (see the log and /api/v1/status)"};
    return {{}, std::move(deferred)};
}

RouteOutcome ProviderControlRoute::provider_action(const HttpRequestLine& request, std::string provider,
                                                   status::ControlAction action) const {
    DeferredReply deferred;
    deferred.start = [handler = handler_, provider, action, requester = std::string(request.remote)](
                         status::ControlCompletion done) { handler(provider, action, requester, std::move(done)); };
    deferred.time_limit = limits_.provider_action;
    deferred.time_limit_result = {504, std::string(status::to_string(action)) + " of provider " + provider +
                                           " did not finish within " + describe_duration(limits_.provider_action) +
                                           "; it goes on in the background"};
    deferred.render = [provider = std::move(provider), action](const status::ControlResult& result) {
        return provider_action_reply(provider, action, result);
    };
    return {{}, std::move(deferred)};
}

}  // namespace mdp::http
