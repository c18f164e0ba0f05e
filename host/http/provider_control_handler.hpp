#pragma once
// The provider control API's hook into the host: POST /api/v1/providers/{name}/{action}
// (action: restart, stop, start) calls it with the instance name, the action and who asked
// (the peer address, for the log). It may block (the host applies the action on its control
// thread); the server calls it on its own worker thread, never on the io thread.
// POST /api/v1/reload calls it too, with provider "" and action "reload".

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

namespace mdp::http {

struct ControlReply {
    ControlReply() noexcept(false) = default;  // json may allocate
    ControlReply(int status, std::string text, nlohmann::json extra = nullptr)
        : http_status(status), message(std::move(text)), details(std::move(extra)) {}

    int http_status = 200;  // 200 done, 404 unknown provider, 409 not possible now, 504 timed out
    std::string message;
    nlohmann::json details;  // extra fields of the reply object (a reload's change report); null when none
};

using ProviderControlHandler =
    std::function<ControlReply(const std::string& provider, const std::string& action, const std::string& requester)>;

}  // namespace mdp::http
