#pragma once
// Operator actions on provider instances (restart, stop, start) requested from the HTTP
// thread and carried out on the control thread, which owns every lifecycle call. The HTTP
// thread waits for the outcome with a deadline, so a slow plugin never blocks it forever.

#include "plugins/provider_registry.hpp"
#include "plugins/provider_supervisor.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

namespace mdp::app {

struct ControlResult {
    ControlResult() noexcept(false) = default;  // json may allocate
    ControlResult(int status, std::string text, nlohmann::json extra = nullptr)
        : http_status(status), message(std::move(text)), details(std::move(extra)) {}

    int http_status = 200;  // 200 done, 404 unknown provider or action, 409 not possible now, 504 timed out
    std::string message;
    nlohmann::json details;  // optional structured answer (a reload's change report); null when none
};

class ProviderControl {
   public:
    static constexpr std::chrono::seconds kWaitLimit{30};

    // [any-thread] Queues `action` ("restart", "stop", "start") for `provider` and waits for
    // the control thread to apply it (at most kWaitLimit). `requester` is logged.
    ControlResult request(const std::string& provider, const std::string& action, const std::string& requester);

    // [control-thread] From now on every request, queued or new, is answered 409 with
    // `reason` without being applied (shutdown).
    void reject_pending(const std::string& reason);

    // [control-thread] Applies every queued request.
    void process(plugins::ProviderRegistry& registry, plugins::ProviderSupervisor& supervisor);

   private:
    struct Pending {
        std::string provider;
        std::string action;
        std::string requester;
        bool done = false;
        ControlResult result;
    };

    static ControlResult apply(const Pending& request, plugins::ProviderRegistry& registry,
                               plugins::ProviderSupervisor& supervisor);

    std::mutex mutex_;
    std::condition_variable done_;
    std::deque<std::shared_ptr<Pending>> queue_;
    std::string rejecting_;  // non-empty: answer everything with 409 and this reason
};

}  // namespace mdp::app
