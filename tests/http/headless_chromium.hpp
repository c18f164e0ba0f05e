#pragma once
// Headless Chromium (Debian `chromium`) for status page tests: a fresh profile per run,
// no network but the page's own, the page's scripts given virtual time to run.

#include "child_process.hpp"

#include <filesystem>
#include <string>

namespace mdp::test {

inline constexpr const char* kChromiumBinary = "/usr/bin/chromium";

// The DOM of `url` after its scripts ran (`--dump-dom`), with Chromium's own messages mixed
// in (stdout and stderr share one capture); exit_code as Chromium returned it.
[[nodiscard]] RunResult chromium_dump_dom(const std::string& url);

// Saves a screenshot of `url` (1400x1100) to `png`.
[[nodiscard]] RunResult chromium_screenshot(const std::string& url, const std::filesystem::path& png);

// The <tr data-provider="name" ...> element of the status page's provider table in a dumped
// DOM ("" when absent).
[[nodiscard]] std::string provider_row(const std::string& dom, const std::string& name);

}  // namespace mdp::test
