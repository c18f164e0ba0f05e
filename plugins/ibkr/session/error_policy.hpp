#pragma once
// What the provider does with each TWS error code. Pure classification, so the policy is
// readable in one place and testable without a connection.

#include <string_view>

namespace mdp::ibkr {

// Errors not tied to one of our subscriptions (reqId -1, or codes that concern the session).
enum class SystemErrorAction {
    informational,  // 2104/2106/2107/2108/2119/2158 ...: log at info
    farm_disconnected,  // 2103/2105/2157: degraded until the farm is OK again
    farm_connected,  // 2104/2106/2158 also clear a farm problem
    connectivity_lost,  // 1100/1300/2110: degraded until restored
    restored_data_lost,  // 1101: resubscribe everything
    restored_data_kept,  // 1102: carry on
    client_id_in_use,  // 326: TWS closes the socket
    pacing_violation,  // 100: slow down
    warning,  // other warnings: log
    error,  // anything else: log as an error
};

SystemErrorAction classify_system_error(int code);

// Errors that name one of our requests.
enum class RequestErrorAction {
    ignore,  // 300 after a cancel of a subscription TWS had already dropped
    failed,  // 200, 101, 321, 322, 162, ...: this contract does not stream
    not_subscribed,  // 354/10186/10089: no market data permission
    delayed_shown,  // 10167: not subscribed, delayed data streams instead
    warning,  // warnings about a request that keeps streaming (10090/10091 partial data, ...)
    session,  // really a session matter (100, 326, 1100, ...) despite the id
};

RequestErrorAction classify_request_error(int code);

// A short human description for status text ("no security definition", ...), or "" when the
// TWS message itself is the best description.
std::string_view describe_error_code(int code);

}  // namespace mdp::ibkr
