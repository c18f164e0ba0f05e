#pragma once
// How a provider instance configured with "isolation": "process" starts its runner: the
// runner executable, the plugin file the host checked (with its verified SHA-256 and the
// policy it was checked against, which the runner applies again), the instance's deadlines,
// limits and overflow policy.

#include "config/host_config.hpp"
#include "isolation/runner_provider.hpp"
#include "isolation/runner_stats.hpp"
#include "plugins/plugin_library.hpp"

#include <functional>

namespace mdp::plugins {

// `stats` and what `count_drop` refers to outlive every runner of the instance.
isolation::RunnerLaunch isolated_launch(const config::ProviderConfig& provider, const PluginLibrary& library,
                                        bool block_when_full, isolation::RunnerStats& stats,
                                        std::function<void(pipeline::DropReason, std::uint64_t)> count_drop);

}  // namespace mdp::plugins
