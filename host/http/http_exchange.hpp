#pragma once
// The transport-neutral request/response pair the routes work on, so routing, rendering
// and their tests do not depend on Boost.Beast (only the session converts).

#include "status/control_result.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mdp::http {

struct HttpRequestLine {
    std::string_view method;  // as received, e.g. "GET"
    std::string_view target;  // origin-form, e.g. "/metrics?x=1"
    std::string_view authorization;  // the Authorization header ("" when absent)
    std::string_view remote;  // peer address "ip:port", for logs
};

struct HttpReply {
    unsigned status = 200;
    std::string content_type;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // beyond Content-Type/Length
};

// A control request whose answer comes later, from the host's control thread. The caller
// (the session) starts it, waits for its completion without blocking, and answers with
// time_limit_reply when the completion has not come within time_limit.
struct DeferredReply {
    // [io thread] Starts the request and returns at once; calls `done` exactly once, on any
    // thread (see ProviderControlHandler).
    std::function<void(status::ControlCompletion done)> start;
    // [io thread] The reply for the request's result.
    std::function<HttpReply(const status::ControlResult& result)> render;
    std::chrono::milliseconds time_limit{0};
    status::ControlResult time_limit_result;  // rendered and sent when time_limit passed (504)
};

// What a route decided: a reply now, or a deferred reply.
struct RouteOutcome {
    HttpReply reply;
    std::optional<DeferredReply> deferred;
};

}  // namespace mdp::http
