#include "plugins/isolated_launch.hpp"

#include "plugins/plugin_description.hpp"

namespace mdp::plugins {

isolation::RunnerLaunch isolated_launch(const config::ProviderConfig& provider, const PluginLibrary& library,
                                        bool block_when_full, isolation::RunnerStats& stats,
                                        std::function<void(pipeline::DropReason, std::uint64_t)> count_drop) {
    isolation::RunnerLaunch launch;
    launch.command.executable = isolation::default_runner_path();
    launch.command.arguments = {"--plugin", library.info().file, "--sha256", library.info().sha256};
    const std::vector<std::string> loader = loader_arguments(library.policy());
    launch.command.arguments.insert(launch.command.arguments.end(), loader.begin(), loader.end());
    launch.command.limits.memory_bytes = provider.limits.memory_bytes;
    launch.command.limits.nice = provider.limits.nice;
    launch.start_timeout_ms = provider.restart.start_timeout_ms;
    launch.stop_timeout_ms = provider.restart.stop_timeout_ms;
    launch.block_when_full = block_when_full;
    launch.stats = &stats;
    launch.count_drop = std::move(count_drop);
    return launch;
}

}  // namespace mdp::plugins
