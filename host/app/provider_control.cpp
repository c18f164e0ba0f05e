#include "app/provider_control.hpp"

#include <spdlog/spdlog.h>

#include <optional>

namespace mdp::app {

std::optional<status::ControlResult> ProviderControl::refusal() const {
    if (!rejecting_.empty()) {
        return status::ControlResult{409, rejecting_};
    }
    if (queue_.size() >= max_waiting_) {
        return status::ControlResult{429, std::string(kBusyMessage)};
    }
    return std::nullopt;
}

void ProviderControl::request(const std::string& provider, status::ControlAction action, const std::string& requester,
                              status::ControlCompletion done) {
    std::unique_lock lock(mutex_);
    if (std::optional<status::ControlResult> refused = refusal()) {
        lock.unlock();  // a completion may ask again
        done(std::move(*refused));
        return;
    }
    queue_.push_back({provider, action, requester, std::move(done)});
    lock.unlock();
    if (wake_) {
        wake_();
    }
}

void ProviderControl::reject_pending(const std::string& reason) {
    std::deque<Pending> rejected;
    {
        const std::lock_guard lock(mutex_);
        rejecting_ = reason;
        rejected.swap(queue_);
    }
    for (auto& pending : rejected) {
        pending.done({409, reason});
    }
}

void ProviderControl::process(plugins::ProviderRegistry& registry, plugins::ProviderSupervisor& supervisor) {
    while (true) {
        Pending pending;
        {
            const std::lock_guard lock(mutex_);
            if (queue_.empty()) {
                return;
            }
            pending = std::move(queue_.front());
            queue_.pop_front();
        }
        status::ControlResult result = apply(pending, registry, supervisor);
        spdlog::warn("control: {} of provider {} requested by {}: {} ({})", status::to_string(pending.action),
                     pending.provider, pending.requester, result.http_status, result.message);
        pending.done(std::move(result));
    }
}

status::ControlResult ProviderControl::apply(const Pending& request, plugins::ProviderRegistry& registry,
                                             plugins::ProviderSupervisor& supervisor) {
    plugins::ProviderInstance* instance = registry.find_by_name(request.provider);
    if (instance == nullptr) {
        return {404, "no provider named \"" + request.provider + "\""};
    }
    if (!instance->config().enabled) {
        return {409, "provider " + request.provider + " is disabled in the config"};
    }
    if (instance->hung()) {
        return {409,
                "provider " + request.provider + " is abandoned after a call that never returned; restart the host"};
    }
    const plugins::ProviderState state = instance->state();
    const bool active = state == plugins::ProviderState::running || state == plugins::ProviderState::degraded ||
                        state == plugins::ProviderState::starting;
    if (request.action == status::ControlAction::stop) {
        if (!instance->started()) {
            return {409, "provider " + request.provider + " is not running (" + std::string(to_string(state)) + ")"};
        }
        instance->stop();
        return {200, "stopped"};
    }
    if (request.action == status::ControlAction::start && active) {
        return {409, "provider " + request.provider + " is already " + std::string(to_string(state))};
    }
    supervisor.forgive(instance->id());
    std::string error;
    if (!instance->restart(error)) {
        return {409, std::string(status::to_string(request.action)) + " failed: " + error};
    }
    return {200, std::string(to_string(instance->state()))};
}

}  // namespace mdp::app
