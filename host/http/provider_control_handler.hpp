#pragma once
// The provider control API's hook into the host: POST /api/v1/providers/{name}/{action}
// (action: restart, stop, start) calls it with the instance name, the action, who asked
// (the peer address, for the log) and the completion that answers the request.
// POST /api/v1/reload calls it too, with provider "" and ControlAction::reload.
//
// [HTTP io thread] It must return at once: it starts the action (the host queues it for its
// control thread) and never waits for it. `done` is called exactly once, on any thread —
// on the calling thread before the handler returns for a refusal, later on the control
// thread for an outcome — and only while the HttpServer exists (the host completes or
// rejects every request before it stops the server). `done` only posts the result to the
// io thread; a result after the session's time limit (504) is dropped.

#include "status/control_result.hpp"

#include <functional>
#include <string>

namespace mdp::http {

using ProviderControlHandler = std::function<void(const std::string& provider, status::ControlAction action,
                                                  const std::string& requester, status::ControlCompletion done)>;

}  // namespace mdp::http
