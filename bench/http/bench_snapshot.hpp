#pragma once
// A realistic host snapshot for the HTTP benchmarks: `providers` instances with every
// counter populated, `sinks` sinks with full histograms, a full feedback history.

#include "status/host_snapshot.hpp"

#include <cstddef>

namespace mdp::bench {

[[nodiscard]] status::HostSnapshot bench_snapshot(std::size_t providers, std::size_t sinks = 2);

}  // namespace mdp::bench
