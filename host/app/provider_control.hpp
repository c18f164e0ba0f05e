#pragma once
// Operator actions on provider instances (restart, stop, start) requested from the HTTP
// thread and carried out on the control thread, which owns every lifecycle call. A request
// wakes the control thread (wake_with()), and the HTTP thread waits for the outcome with a
// deadline, so a slow plugin never blocks it forever.

#include "plugins/provider_registry.hpp"
#include "plugins/provider_supervisor.hpp"
#include "status/control_result.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace mdp::app {

class ProviderControl {
   public:
    static constexpr std::chrono::seconds kWaitLimit{30};

    // [control-thread, before any request can arrive] `wake` makes the control thread call
    // process() soon (it must not block); none set: the control thread's next poll.
    void wake_with(std::function<void()> wake) { wake_ = std::move(wake); }

    // [any-thread] Queues `action` (a provider action: restart, stop or start) for `provider`,
    // wakes the control thread and waits for it to apply the action (at most kWaitLimit).
    // `requester` is logged.
    status::ControlResult request(const std::string& provider, status::ControlAction action,
                                  const std::string& requester);

    // [control-thread] From now on every request, queued or new, is answered 409 with
    // `reason` without being applied (shutdown).
    void reject_pending(const std::string& reason);

    // [control-thread] Applies every queued request.
    void process(plugins::ProviderRegistry& registry, plugins::ProviderSupervisor& supervisor);

   private:
    struct Pending {
        std::string provider;
        status::ControlAction action = status::ControlAction::restart;
        std::string requester;
        bool done = false;
        status::ControlResult result;
    };

    static status::ControlResult apply(const Pending& request, plugins::ProviderRegistry& registry,
                                       plugins::ProviderSupervisor& supervisor);

    std::function<void()> wake_;
    std::mutex mutex_;
    std::condition_variable done_;
    std::deque<std::shared_ptr<Pending>> queue_;
    std::string rejecting_;  // non-empty: answer everything with 409 and this reason
};

}  // namespace mdp::app
