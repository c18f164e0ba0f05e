#pragma once
// Config reload requests from the HTTP thread (POST /api/v1/reload) and from SIGHUP, carried
// out one at a time on the control thread. A request while another is pending or running is
// refused at once (409), so reloads never queue up behind each other. Nobody waits here: an
// HTTP request is answered through its completion when the reload ended (the HTTP session
// bounds its own wait and answers 504 at its time limit).

#include "status/control_result.hpp"

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace mdp::app {

class ReloadRequests {
   public:
    // [control-thread, before any request can arrive] `wake` makes the control thread look
    // for a pending reload soon (it must not block); none set: the control thread's next poll.
    void wake_with(std::function<void()> wake) { wake_ = std::move(wake); }

    // [any-thread] Asks for a reload, wakes the control thread and returns without waiting.
    // `requester` is logged. `done` (not null) is called exactly once:
    //  - [control-thread] by finish() with the reload's outcome, or by reject_all() with 409
    //    when the host shuts down before the reload was taken;
    //  - [the caller's thread, before request() returns] with 409 when refused at once: a
    //    reload is pending or running, or reject_all() ran.
    void request(const std::string& requester, status::ControlCompletion done);
    // [control-thread] Asks without a completion (SIGHUP); false when one is pending or running.
    bool request(const std::string& requester);

    // [control-thread] The requester of the pending reload, if any; it is running from now.
    std::optional<std::string> take();
    // [control-thread] The running reload ended with `result`; its completion runs here.
    void finish(status::ControlResult result);
    // [control-thread] Shutdown: a pending reload not yet taken, and every later request, is
    // answered 409 with `reason` (the pending one's completion runs here).
    void reject_all(const std::string& reason);

   private:
    struct Pending {
        std::string requester;
        bool taken = false;
        status::ControlCompletion done;  // null for SIGHUP
    };
    // Under mutex_: a 409 when a new request cannot be accepted now.
    std::optional<status::ControlResult> refusal() const;
    // Under mutex_, with a current request: ends it (idle again) and hands back its
    // completion, for the caller to call once the lock is released.
    status::ControlCompletion end_current();

    std::function<void()> wake_;
    mutable std::mutex mutex_;
    std::unique_ptr<Pending> current_;  // pending or running; null when idle
    std::string rejecting_;
};

}  // namespace mdp::app
