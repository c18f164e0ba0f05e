#pragma once
// The /metrics document: every metric of docs/metrics.md rendered from one host snapshot
// and one process reading. Provider and sink names become labels; symbols never do.

#include "status/host_snapshot.hpp"
#include "metrics/process_stats.hpp"

#include <string>

namespace mdp::http {

// [any thread] Prometheus text format 0.0.4 (metrics::kExpositionContentType).
[[nodiscard]] std::string render_metrics_document(const status::HostSnapshot& snapshot,
                                                  const metrics::ProcessStats& process);

}  // namespace mdp::http
