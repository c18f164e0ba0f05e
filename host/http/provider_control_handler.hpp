#pragma once
// The provider control API's hook into the host: POST /api/v1/providers/{name}/{action}
// (action: restart, stop, start) calls it with the instance name, the action and who asked
// (the peer address, for the log). It may block (the host applies the action on its control
// thread); the server calls it on its own worker thread, never on the io thread.
// POST /api/v1/reload calls it too, with provider "" and ControlAction::reload.

#include "status/control_result.hpp"

#include <functional>
#include <string>

namespace mdp::http {

using ProviderControlHandler = std::function<status::ControlResult(
    const std::string& provider, status::ControlAction action, const std::string& requester)>;

}  // namespace mdp::http
