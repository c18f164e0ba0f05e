#pragma once
// The transport-neutral request/response pair the routes work on, so routing, rendering
// and their tests do not depend on Boost.Beast (only the session converts).

#include <functional>
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

// What a route decided: a reply now, or work that may block (it runs off the io thread,
// and what it returns is sent).
struct RouteOutcome {
    HttpReply reply;
    std::function<HttpReply()> deferred;
};

}  // namespace mdp::http
