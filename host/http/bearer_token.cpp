#include "http/bearer_token.hpp"

#include <algorithm>
#include <cctype>

namespace mdp::http {
namespace {

constexpr std::string_view kScheme = "bearer";

// The token after a case-insensitive "Bearer " with surrounding spaces trimmed; empty when
// the header uses another scheme or carries no token.
std::string_view presented_token(std::string_view authorization_header) noexcept {
    if (authorization_header.size() <= kScheme.size() || authorization_header[kScheme.size()] != ' ') {
        return {};
    }
    for (std::size_t index = 0; index < kScheme.size(); ++index) {
        if (std::tolower(static_cast<unsigned char>(authorization_header[index])) != kScheme[index]) {
            return {};
        }
    }
    std::string_view token = authorization_header.substr(kScheme.size() + 1);
    while (!token.empty() && token.front() == ' ') {
        token.remove_prefix(1);
    }
    while (!token.empty() && token.back() == ' ') {
        token.remove_suffix(1);
    }
    return token;
}

}  // namespace

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

BearerCheck check_bearer_token(std::string_view authorization_header, std::string_view expected_token) noexcept {
    const std::string_view token = presented_token(authorization_header);
    if (token.empty()) {
        return BearerCheck::missing;
    }
    if (expected_token.empty() || !constant_time_equal(token, expected_token)) {
        return BearerCheck::wrong;
    }
    return BearerCheck::accepted;
}

}  // namespace mdp::http
