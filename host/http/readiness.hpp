#pragma once
// Readiness (GET /ready) derived from a host snapshot.
//
// Ready means the pipeline can take data and store it:
//  - the host is not shutting down;
//  - every sink is healthy (its last write succeeded) and not stalled: while events wait
//    in the queue, a sink whose last successful write is older than `sink_stall_after_ns`
//    (or that never wrote since the host started that long ago) is stalled;
//  - every enabled provider is running. "degraded" counts as running: the provider is
//    connected and publishing something (e.g. delayed data, a lost subscription), which
//    taking the pod out of service would not fix; it is listed in `notes` instead.
//    loaded, starting, stopping, stopped and failed providers make the host unready.
//    Disabled providers are ignored.
// Backpressure (SOFT/HARD) is not a readiness condition: it is the pipeline working as
// designed, and autoscaling acts on it; it is listed in `notes`.

#include "status/host_snapshot.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace mdp::http {

struct ReadinessPolicy {
    std::int64_t sink_stall_after_ns = 30'000'000'000;  // 30 s without a successful write
};

struct ReadinessReport {
    bool ready = true;
    std::vector<std::string> reasons;  // why not ready (empty when ready)
    std::vector<std::string> notes;  // worth knowing, not blocking
};

[[nodiscard]] ReadinessReport evaluate_readiness(const status::HostSnapshot& snapshot,
                                                 const ReadinessPolicy& policy = {});

// Start-up (GET /started): the host finished starting (every sink opened, every enabled
// provider started) and is not shutting down. This is what Kubernetes' readinessProbe uses:
// nothing routes traffic to an mdp pod, so readiness only gates rollouts and the pods the
// HPA counts. A sink outage is shared by every pod and must not take pods out of that count
// (the HPA would then scale the pipeline down in the middle of the outage); /ready keeps
// reporting it for people and monitoring.
[[nodiscard]] ReadinessReport evaluate_startup(const status::HostSnapshot& snapshot);

}  // namespace mdp::http
