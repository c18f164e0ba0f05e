#pragma once
// Checks an `Authorization: Bearer <token>` header against the configured admin token in
// time that does not depend on where they differ (no timing oracle for the token).

#include <string_view>

namespace mdp::http {

// False for a missing header, another scheme, or a different token. An empty
// `expected_token` never matches.
[[nodiscard]] bool bearer_token_matches(std::string_view authorization_header, std::string_view expected_token) noexcept;

// a == b, looking at every byte of both whatever they contain (the length still shows).
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace mdp::http
