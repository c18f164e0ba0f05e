#pragma once
// Checks an `Authorization: Bearer <token>` header against the configured admin token in
// time that does not depend on where they differ (no timing oracle for the token).

#include <string_view>

namespace mdp::http {

// What an Authorization header amounts to. The route answers 401 for `missing` (no
// credentials were offered: ask for them) and 403 for `wrong` (credentials were offered
// and refused: asking again with the same ones will not help).
enum class BearerCheck {
    missing,  // no header, another scheme, or "Bearer" with no token after it
    wrong,  // a bearer token that is not the configured one
    accepted,  // exactly the configured token (surrounding spaces ignored)
};

// An empty `expected_token` never accepts; a presented token is then `wrong`.
[[nodiscard]] BearerCheck check_bearer_token(std::string_view authorization_header,
                                             std::string_view expected_token) noexcept;

// a == b, looking at every byte of both whatever they contain (the length still shows).
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace mdp::http
