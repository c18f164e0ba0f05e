#pragma once
// The status page (GET /): host/http/status_page.html, embedded into the binary at build
// time (see status_page.cmake). Self-contained: inline CSS and JS, no external assets.

#include <string_view>

namespace mdp::http {

[[nodiscard]] std::string_view status_page_html() noexcept;

}  // namespace mdp::http
