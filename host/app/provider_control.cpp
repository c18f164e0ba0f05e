#include "app/provider_control.hpp"

#include <spdlog/spdlog.h>

namespace mdp::app {

status::ControlResult ProviderControl::request(const std::string& provider, status::ControlAction action,
                                               const std::string& requester) {
    auto pending = std::make_shared<Pending>();
    pending->provider = provider;
    pending->action = action;
    pending->requester = requester;
    std::unique_lock lock(mutex_);
    if (!rejecting_.empty()) {
        return {409, rejecting_};
    }
    queue_.push_back(pending);
    if (wake_) {
        wake_();
    }
    if (!done_.wait_for(lock, kWaitLimit, [&] { return pending->done; })) {
        return {504, std::string(status::to_string(action)) + " of provider " + provider + " did not finish within " +
                         std::to_string(kWaitLimit.count()) + " s; it goes on in the background"};
    }
    return pending->result;
}

void ProviderControl::reject_pending(const std::string& reason) {
    {
        std::lock_guard lock(mutex_);
        rejecting_ = reason;
        for (auto& pending : queue_) {
            pending->result = {409, reason};
            pending->done = true;
        }
        queue_.clear();
    }
    done_.notify_all();
}

void ProviderControl::process(plugins::ProviderRegistry& registry, plugins::ProviderSupervisor& supervisor) {
    while (true) {
        std::shared_ptr<Pending> pending;
        {
            std::lock_guard lock(mutex_);
            if (queue_.empty()) {
                return;
            }
            pending = queue_.front();
            queue_.pop_front();
        }
        status::ControlResult result = apply(*pending, registry, supervisor);
        spdlog::warn("control: {} of provider {} requested by {}: {} ({})", status::to_string(pending->action),
                     pending->provider, pending->requester, result.http_status, result.message);
        {
            std::lock_guard lock(mutex_);
            pending->result = std::move(result);
            pending->done = true;
        }
        done_.notify_all();
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
