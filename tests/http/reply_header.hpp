#pragma once
// Reading one header of a router's reply in tests.

#include "http/http_exchange.hpp"

#include <string>

namespace mdp::test {

// The value of the first header named exactly `name` in `reply` ("" when absent).
inline std::string header(const mdp::http::HttpReply& reply, const std::string& name) {
    for (const auto& [key, value] : reply.headers) {
        if (key == name) {
            return value;
        }
    }
    return "";
}

}  // namespace mdp::test
