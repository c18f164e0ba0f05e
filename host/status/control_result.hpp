#pragma once
// Operator control requests and their answers, shared by the HTTP route that receives them
// (http/provider_control_route) and the control thread that carries them out
// (app/provider_control, app/reload_requests). The route parses the action once; everything
// after it holds a ControlAction, so no layer checks an action's name again.

#include <nlohmann/json.hpp>

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace mdp::status {

enum class ControlAction { restart, stop, start, reload };

// The actions on one provider instance (POST /api/v1/providers/{name}/{action}).
inline constexpr std::array kProviderActions{ControlAction::restart, ControlAction::stop, ControlAction::start};

constexpr std::string_view to_string(ControlAction action) {
    switch (action) {
        case ControlAction::restart:
            return "restart";
        case ControlAction::stop:
            return "stop";
        case ControlAction::start:
            return "start";
        case ControlAction::reload:
            return "reload";
    }
    return "";
}

// The provider action named `name`, or nullopt.
constexpr std::optional<ControlAction> provider_action_of(std::string_view name) {
    for (const ControlAction action : kProviderActions) {
        if (name == to_string(action)) {
            return action;
        }
    }
    return std::nullopt;
}

struct ControlResult {
    ControlResult() noexcept(false) = default;  // json may allocate
    ControlResult(int status, std::string text, nlohmann::json extra = nullptr)
        : http_status(status), message(std::move(text)), details(std::move(extra)) {}

    // 200 done, 404 unknown provider, 409 not possible now, 429 too many waiting, 504 timed out
    int http_status = 200;
    std::string message;
    nlohmann::json details;  // extra fields of the reply object (a reload's change report); null when none
};

// Receives the outcome of a control request, exactly once. Whoever takes one states on which
// thread it calls it; a completion called on the control thread must return at once (it
// hands the result over, e.g. posts it to an io executor, and does no work of its own).
using ControlCompletion = std::function<void(ControlResult)>;

}  // namespace mdp::status
