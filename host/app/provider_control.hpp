#pragma once
// Operator actions on provider instances (restart, stop, start) requested from the HTTP
// thread and carried out on the control thread, which owns every lifecycle call. A request
// queues the action, wakes the control thread (wake_with()) and returns at once; the
// control thread reports the outcome through the request's completion. Nobody waits for it
// here: the caller bounds its own wait (the HTTP session answers 504 at its time limit).
// The queue is bounded, so a flood of requests is refused instead of piling up.

#include "plugins/provider_registry.hpp"
#include "plugins/provider_supervisor.hpp"
#include "status/control_result.hpp"

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace mdp::app {

class ProviderControl {
   public:
    // Requests waiting behind the one being applied; more are refused with 429.
    static constexpr std::size_t kMaxWaiting = 4;
    static constexpr std::string_view kBusyMessage = "another provider action is in progress; retry later";

    explicit ProviderControl(std::size_t max_waiting = kMaxWaiting) : max_waiting_(max_waiting) {}

    // [control-thread, before any request can arrive] `wake` makes the control thread call
    // process() soon (it must not block); none set: the control thread's next poll.
    void wake_with(std::function<void()> wake) { wake_ = std::move(wake); }

    // [any-thread] Queues `action` (a provider action: restart, stop or start) for `provider`,
    // wakes the control thread and returns without waiting. `requester` is logged. `done`
    // (not null) is called exactly once:
    //  - [control-thread] by process() with the outcome of the action (200, 404, 409), or by
    //    reject_pending() with 409 when the host shuts down before the action was applied;
    //  - [the caller's thread, before request() returns] when refused at once: 409 after
    //    reject_pending(), 429 (kBusyMessage) when kMaxWaiting requests already wait.
    void request(const std::string& provider, status::ControlAction action, const std::string& requester,
                 status::ControlCompletion done);

    // [control-thread] From now on every request, queued or new, is answered 409 with
    // `reason` without being applied (shutdown); the queued ones' completions run here.
    void reject_pending(const std::string& reason);

    // [control-thread] Applies every queued request, one at a time, each completion called
    // as soon as its action is applied.
    void process(plugins::ProviderRegistry& registry, plugins::ProviderSupervisor& supervisor);

   private:
    struct Pending {
        std::string provider;
        status::ControlAction action = status::ControlAction::restart;
        std::string requester;
        status::ControlCompletion done;
    };

    // Under mutex_: why a new request cannot be queued now, if it cannot.
    std::optional<status::ControlResult> refusal() const;
    static status::ControlResult apply(const Pending& request, plugins::ProviderRegistry& registry,
                                       plugins::ProviderSupervisor& supervisor);

    const std::size_t max_waiting_;
    std::function<void()> wake_;
    std::mutex mutex_;
    std::deque<Pending> queue_;  // waiting, not yet taken by process()
    std::string rejecting_;  // non-empty: answer everything with 409 and this reason
};

}  // namespace mdp::app
