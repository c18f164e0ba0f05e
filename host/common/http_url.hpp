#pragma once
// Parsing of plain http:// URLs (feedback receivers).

#include <string>

namespace mdp::common {

struct HttpUrl {
    std::string host;
    std::string port = "80";
    std::string target = "/";
};

// Parses "http://host[:port][/path]"; throws std::invalid_argument naming the URL.
HttpUrl parse_http_url(const std::string& url);

}  // namespace mdp::common
