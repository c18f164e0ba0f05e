#pragma once
// Config reload requests from the HTTP thread (POST /api/v1/reload) and from SIGHUP, carried
// out one at a time on the control thread. A request while another is pending or running is
// refused at once (409), so reloads never queue up behind each other.

#include "status/control_result.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace mdp::app {

class ReloadRequests {
   public:
    static constexpr std::chrono::seconds kWaitLimit{60};

    // [control-thread, before any request can arrive] `wake` makes the control thread look
    // for a pending reload soon (it must not block); none set: the control thread's next poll.
    void wake_with(std::function<void()> wake) { wake_ = std::move(wake); }

    // [any-thread] Asks for a reload and waits (at most kWaitLimit) for its outcome; 409
    // when one is pending or running, 409 after reject_all(). `requester` is logged.
    status::ControlResult request_and_wait(const std::string& requester);
    // [control-thread] Asks without waiting (SIGHUP); false when one is pending or running.
    bool request(const std::string& requester);

    // [control-thread] The requester of the pending reload, if any; it is running from now.
    std::optional<std::string> take();
    // [control-thread] The running reload ended with `result`.
    void finish(status::ControlResult result);
    // [control-thread] Shutdown: every later request is answered 409 with `reason`.
    void reject_all(const std::string& reason);

   private:
    struct Pending {
        std::string requester;
        bool taken = false;
        bool done = false;
        status::ControlResult result;
    };
    // Under mutex_: a 409 when a new request cannot be accepted now.
    std::optional<status::ControlResult> refusal() const;

    std::function<void()> wake_;
    mutable std::mutex mutex_;
    std::condition_variable done_;
    std::shared_ptr<Pending> current_;  // pending or running; null when idle
    std::string rejecting_;
};

}  // namespace mdp::app
