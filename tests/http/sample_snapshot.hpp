#pragma once
// Host snapshots for the HTTP tests: every field filled with distinctive values, plus
// plugin-supplied strings that try to break JSON, HTML and the exposition format.

#include "status/history_snapshot.hpp"
#include "status/host_snapshot.hpp"

#include <cstddef>

namespace mdp::test {

// A provider detail/last error meant to break out of HTML, JSON and label quoting.
inline constexpr const char* kHostileText =
    "quote \" backslash \\ newline \n <script>document.body.setAttribute('data-pwned','1')</script> "
    "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"> bad utf8 \xC3\x28 end";

// Providers "synthetic" (running, soft), "ibkr" (degraded, hard), "backup" (failed,
// required), and `extra_providers` more named "extra-<n>" (running); sinks "main" (sqlite),
// "archive" (jsonl) and "warehouse" (postgres, circuit half-open), all healthy; three
// feedback events.
[[nodiscard]] status::HostSnapshot sample_snapshot(std::size_t extra_providers = 0);

// A provider name meant to break out of HTML in the charts' legends and tooltips.
inline constexpr const char* kHostileName =
    "<b>feed</b>&amp;<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">";

// `samples` samples (5 s apart, 180 at most kept) of providers "synthetic" and kHostileName
// and `extra_providers` more ("extra-<n>"), and sink "main": every rate known but the first
// sample's; depth i * 37, level i % 3; queue 10000 with watermarks 5000 / 8000.
[[nodiscard]] status::HistorySnapshot sample_history(std::size_t samples, std::size_t extra_providers = 0);

// A snapshot of a healthy host: every provider running, every sink healthy.
[[nodiscard]] status::HostSnapshot healthy_snapshot();

}  // namespace mdp::test
