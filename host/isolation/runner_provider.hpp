#pragma once
// The host's side of an isolated provider: an mdp_provider_t whose calls run in a runner
// process (mdp-provider-runner) instead of in the host. The host drives it exactly like a
// plugin's own table (create through create_in_runner(), then start, stop, on_feedback,
// destroy), and it calls the instance's real services table (`host`) for everything the
// plugin does: it publishes what the runner put in the shared ring, logs its lines and
// reports its states. So the publish path, the counts, backpressure and supervision are the
// in-process ones. The delivery extensions go through it too: records with an origin are
// published with it, and when the plugin subscribes to stored acknowledgements this instance
// subscribes in the host and posts what settled back to the runner as ring positions.
//
// A runner that dies (a signal, an exit, the OOM killer) is noticed at once through its
// pidfd: what it had put in the ring is still published, its crash is counted by signal, and
// the provider is reported failed with the signal and its last log lines, which the restart
// policy then handles as any other failure. A start() or stop() that misses 3/4 of its
// deadline kills the runner (counted as a SIGKILL crash) and returns, so the host never
// abandons an isolated provider as hung.

#include "isolation/runner_process.hpp"
#include "isolation/runner_stats.hpp"
#include "pipeline/overflow_policy.hpp"

#include <mdp/plugin_api.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace mdp::isolation {

// Ring slots per isolated provider (records of sizeof(mdp_event_t)): about 2 MiB.
inline constexpr std::size_t kDefaultRingCapacity = 16384;

struct RunnerLaunch {
    RunnerCommand command;  // the runner, its arguments (plugin file, pin, policy) and limits
    std::int64_t start_timeout_ms = 10000;  // restart.start_timeout_ms
    std::int64_t stop_timeout_ms = 10000;  // restart.stop_timeout_ms
    bool block_when_full = true;  // the `block` overflow policy: a full ring blocks publish
    std::size_t ring_capacity = kDefaultRingCapacity;
    RunnerStats* stats = nullptr;  // outlives every runner of the instance
    // [monitor thread] Counts records the runner refused itself (full ring under a drop
    // policy, malformed records) as the in-process publish path would.
    std::function<void(pipeline::DropReason, std::uint64_t)> count_drop;
};

// [control-thread] Starts a runner, has it load the plugin and create an instance with
// `config_json` and `host`'s services. Returns the instance's table (owned by this module
// until its destroy() is called), or null with `error` set; a config value the plugin named
// is reported through `host`'s MDP_HOST_CONFIG_PROBLEM_ID before it returns.
// `runner_failed` tells a failure of the isolation itself (the runner could not be started,
// could not load the plugin, or died) from the plugin's create() refusing its config.
mdp_provider_t* create_in_runner(const RunnerLaunch& launch, const mdp_host_t* host, const char* instance_name,
                                 const char* config_json, std::string& error, bool& runner_failed);

// [control-thread] mdp_provider_reconfigure_t.reconfigure for an instance made by
// create_in_runner(): runs the plugin's reconfigure extension in the runner
// (MDP_RECONFIGURE_NEEDS_RESTART when the plugin has none).
int32_t reconfigure_in_runner(mdp_provider_t* provider, const char* config_json, char* error,
                              std::size_t error_capacity);

// The path of mdp-provider-runner: $MDP_PROVIDER_RUNNER when set, else the file next to the
// running executable (where the install puts both).
std::string default_runner_path();

}  // namespace mdp::isolation
