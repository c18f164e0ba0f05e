#include "http/bearer_token.hpp"

#include <algorithm>
#include <cctype>

namespace mdp::http {

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    const std::size_t length = std::max(a.size(), b.size());
    unsigned difference = a.size() == b.size() ? 0u : 1u;
    for (std::size_t index = 0; index < length; ++index) {
        const auto left = static_cast<unsigned char>(index < a.size() ? a[index] : 0);
        const auto right = static_cast<unsigned char>(index < b.size() ? b[index] : 0);
        difference |= static_cast<unsigned>(left ^ right);
    }
    return difference == 0;
}

bool bearer_token_matches(std::string_view authorization_header, std::string_view expected_token) noexcept {
    constexpr std::string_view kScheme = "bearer";
    if (expected_token.empty() || authorization_header.size() <= kScheme.size() ||
        authorization_header[kScheme.size()] != ' ') {
        return false;
    }
    for (std::size_t index = 0; index < kScheme.size(); ++index) {  // the scheme is case-insensitive
        if (std::tolower(static_cast<unsigned char>(authorization_header[index])) != kScheme[index]) {
            return false;
        }
    }
    std::string_view token = authorization_header.substr(kScheme.size() + 1);
    while (!token.empty() && token.front() == ' ') {
        token.remove_prefix(1);
    }
    while (!token.empty() && token.back() == ' ') {
        token.remove_suffix(1);
    }
    return constant_time_equal(token, expected_token);
}

}  // namespace mdp::http
