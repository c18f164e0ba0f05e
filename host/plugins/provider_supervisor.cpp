#include "plugins/provider_supervisor.hpp"

#include "common/retry_backoff.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace mdp::plugins {

ProviderSupervisor::ProviderSupervisor(ProviderRegistry& registry)
    : registry_(registry), tracking_(registry.instances().size()), jitter_source_(std::random_device{}()) {}

void ProviderSupervisor::note_startup_failures() {
    auto& instances = registry_.instances();
    for (std::size_t index = 0; index < instances.size(); ++index) {
        const ProviderState state = instances[index]->state();
        tracking_[index].ever_ran = state == ProviderState::running || state == ProviderState::degraded;
    }
}

void ProviderSupervisor::forgive(std::uint32_t provider_id) {
    tracking_.resize(std::max<std::size_t>(tracking_.size(), provider_id + 1));
    {
        Tracking& tracking = tracking_[provider_id];
        tracking.attempts = 0;
        tracking.gave_up = false;
        tracking.scheduled = false;
    }
}

bool ProviderSupervisor::may_restart(const ProviderInstance& instance, const Tracking& tracking) const {
    const auto& restart = instance.config().restart;
    if (!instance.config().enabled || instance.hung() || tracking.gave_up) {
        return false;
    }
    switch (restart.policy) {
        case config::RestartPolicy::never:
            return false;
        case config::RestartPolicy::on_failure:
            return tracking.ever_ran;
        case config::RestartPolicy::always:
            return true;
    }
    return false;
}

std::chrono::milliseconds ProviderSupervisor::backoff(const config::RestartConfig& restart, int attempt) {
    // `attempt` restarts were already tried, so this follows failure number attempt + 1.
    return common::jittered_backoff(std::chrono::milliseconds(restart.initial_backoff_ms),
                                    std::chrono::milliseconds(restart.max_backoff_ms),
                                    static_cast<std::uint32_t>(attempt) + 1, jitter_source_);
}

std::string ProviderSupervisor::tick(Clock::time_point now) {
    std::string required_failure;
    auto& instances = registry_.instances();
    tracking_.resize(instances.size());  // instances added by a reload
    for (std::size_t index = 0; index < instances.size(); ++index) {
        ProviderInstance& instance = *instances[index];
        Tracking& tracking = tracking_[index];
        if (instance.retired()) {
            continue;
        }
        const auto& restart = instance.config().restart;
        const ProviderState state = instance.state();
        if (state == ProviderState::running || state == ProviderState::degraded) {
            if (!tracking.ever_ran || tracking.running_since == Clock::time_point{}) {
                tracking.running_since = now;
            }
            tracking.ever_ran = true;
            if (tracking.attempts > 0 &&
                now - tracking.running_since >= std::chrono::milliseconds(restart.reset_after_ms)) {
                tracking.attempts = 0;
            }
            continue;
        }
        tracking.running_since = {};
        if (state != ProviderState::failed) {
            continue;
        }
        if (!may_restart(instance, tracking)) {
            if (instance.config().required && required_failure.empty()) {
                required_failure = ProviderRegistry::required_failure_message(instance, instance.snapshot().last_error);
            }
            continue;
        }
        if (restart.max_attempts > 0 && tracking.attempts >= restart.max_attempts) {
            tracking.gave_up = true;
            spdlog::error("provider {}: stays failed after {} restart attempts: {}", instance.name(), tracking.attempts,
                          instance.snapshot().last_error);
            continue;
        }
        if (!tracking.scheduled) {
            tracking.scheduled = true;
            const auto delay = backoff(restart, tracking.attempts);
            tracking.due = now + delay;
            spdlog::warn("provider {}: failed ({}); restarting in {} ms", instance.name(),
                         instance.snapshot().last_error, delay.count());
            continue;
        }
        if (now < tracking.due) {
            continue;
        }
        tracking.scheduled = false;
        ++tracking.attempts;
        std::string error;
        if (!instance.restart(error)) {
            spdlog::error("provider {}: restart {} failed: {}", instance.name(), tracking.attempts, error);
        }
    }
    return required_failure;
}

}  // namespace mdp::plugins
