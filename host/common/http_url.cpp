#include "common/http_url.hpp"

#include <stdexcept>
#include <string_view>

namespace mdp::common {

HttpUrl parse_http_url(const std::string& url) {
    constexpr std::string_view scheme = "http://";
    if (!url.starts_with(scheme)) {
        throw std::invalid_argument(url + ": expected an http:// URL");
    }
    const std::string rest = url.substr(scheme.size());
    const auto slash = rest.find('/');
    const std::string authority = rest.substr(0, slash);
    HttpUrl result;
    result.target = slash == std::string::npos ? "/" : rest.substr(slash);
    const auto colon = authority.rfind(':');
    result.host = colon == std::string::npos ? authority : authority.substr(0, colon);
    if (colon != std::string::npos) {
        result.port = authority.substr(colon + 1);
    }
    if (result.host.empty() || result.port.empty() ||
        result.port.find_first_not_of("0123456789") != std::string::npos) {
        throw std::invalid_argument(url + ": expected http://host[:port][/path]");
    }
    return result;
}

}  // namespace mdp::common
