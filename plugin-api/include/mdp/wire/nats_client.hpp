// mdp wire format — the NATS C client set up the way both ends of the transport use it: the
// host's `nats` sink (ingest) and the `nats` provider plugin (store) connect with the same
// servers, credentials, timeouts and reconnect rule, and describe a failure the same way.
// Header-only; needs the NATS C client (Debian libnats-dev, pkg-config name libnats).
#ifndef MDP_WIRE_NATS_CLIENT_HPP
#define MDP_WIRE_NATS_CLIENT_HPP

#include <mdp/sdk/server_list.hpp>
#include <nats/nats.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace mdp::wire {

struct NatsClientSettings {
    std::vector<std::string> servers;
    // At most one way to authenticate: a .creds file (JWT + NKey seed), user and password, or
    // a token (the config readers refuse two).
    std::filesystem::path credentials_file;
    std::string user;
    std::string password;
    std::string token;
    std::chrono::milliseconds connect_timeout{2000};  // per connection attempt
    std::chrono::milliseconds reconnect_wait{250};
};

// The client settings of a component's options struct that names them alike (the sink's
// NatsSinkOptions, the provider's ConsumerConfig).
template <typename Options>
[[nodiscard]] NatsClientSettings client_settings_of(const Options& options) {
    NatsClientSettings settings;
    settings.servers = options.servers;
    settings.credentials_file = options.credentials_file;
    settings.user = options.user;
    settings.password = options.password;
    settings.token = options.token;
    settings.connect_timeout = options.connect_timeout;
    settings.reconnect_wait = options.reconnect_wait;
    return settings;
}

// The client's description of a failed call: its status text and the last error it recorded
// on this thread.
[[nodiscard]] inline std::string nats_error_text(natsStatus status) {
    natsStatus last_status = NATS_OK;
    const char* last = nats_GetLastError(&last_status);
    std::string text = natsStatus_GetText(status);
    if (last != nullptr && *last != '\0' && text.find(last) == std::string::npos) {
        text += std::string(" (") + last + ")";
    }
    return text;
}

// Client options for `settings`, the connection listed by the server as `client_name`; the
// client reconnects by itself forever after a loss (an outage is a backlog, never a reason
// to give up). No connection callbacks: the client runs them on its own thread, even after
// Close and Destroy returned, so they could outlive their owner. The caller destroys the
// result (natsOptions_Destroy). Throws std::runtime_error naming the setting that failed.
[[nodiscard]] inline natsOptions* make_nats_options(const NatsClientSettings& settings,
                                                    const std::string& client_name) {
    natsOptions* options = nullptr;
    const auto check = [&options](natsStatus status, const std::string& what) {
        if (status != NATS_OK) {
            const std::string reason = what + ": " + nats_error_text(status);
            natsOptions_Destroy(options);
            throw std::runtime_error(reason);
        }
    };
    check(natsOptions_Create(&options), "creating client options");
    std::vector<const char*> servers;
    for (const auto& server : settings.servers) {
        servers.push_back(server.c_str());
    }
    check(natsOptions_SetServers(options, servers.data(), static_cast<int>(servers.size())), "servers");
    check(natsOptions_SetName(options, client_name.c_str()), "client name");
    check(natsOptions_SetTimeout(options, settings.connect_timeout.count()), "connect timeout");
    check(natsOptions_SetMaxReconnect(options, -1), "reconnect");
    check(natsOptions_SetReconnectWait(options, settings.reconnect_wait.count()), "reconnect wait");
    if (!settings.credentials_file.empty()) {
        check(natsOptions_SetUserCredentialsFromFiles(options, settings.credentials_file.c_str(), nullptr),
              "credentials file " + settings.credentials_file.string());
    } else if (!settings.user.empty()) {
        check(natsOptions_SetUserInfo(options, settings.user.c_str(), settings.password.c_str()), "user");
    } else if (!settings.token.empty()) {
        check(natsOptions_SetToken(options, settings.token.c_str()), "token");
    }
    return options;
}

// True when a connect failed because the server refused the credentials (no retry helps).
[[nodiscard]] inline bool is_auth_failure(natsStatus status) noexcept {
    return status == NATS_CONNECTION_AUTH_FAILED || status == NATS_NOT_PERMITTED;
}

// Why connect_with_attempts() gave up: the message names the servers and the last error;
// auth_failure() when the servers refused the credentials (no further attempt can help).
class NatsConnectError : public std::runtime_error {
   public:
    NatsConnectError(const std::string& message, bool auth_failure)
        : std::runtime_error(message), auth_failure_(auth_failure) {}
    [[nodiscard]] bool auth_failure() const noexcept { return auth_failure_; }

   private:
    bool auth_failure_;
};

// Connects with `options` in up to `attempts` tries (>= 1), waiting 100 ms, doubling up to
// 2 s, between them; before each wait calls `on_retry(attempt, error_text)` (a log line).
// Stops at once when the servers refuse the credentials. Blocks the calling thread for up to
// attempts x servers x the connect timeout, plus the waits (at most 2 s each). Returns the connection (the caller closes and
// destroys it); throws NatsConnectError.
template <typename OnRetry>
[[nodiscard]] natsConnection* connect_with_attempts(natsOptions* options, const std::vector<std::string>& servers,
                                                    std::uint32_t attempts, OnRetry on_retry) {
    std::chrono::milliseconds delay(100);
    std::string last_error;
    for (std::uint32_t attempt = 1; attempt <= attempts; ++attempt) {
        natsConnection* connection = nullptr;
        const natsStatus status = natsConnection_Connect(&connection, options);
        if (status == NATS_OK) {
            return connection;
        }
        last_error = nats_error_text(status);
        if (is_auth_failure(status)) {
            throw NatsConnectError(
                "servers " + sdk::join_server_list(servers) + " refused the credentials: " + last_error, true);
        }
        if (attempt < attempts) {
            on_retry(attempt, last_error);
            std::this_thread::sleep_for(delay);
            delay = std::min(delay * 2, std::chrono::milliseconds(2000));
        }
    }
    throw NatsConnectError("cannot connect to " + sdk::join_server_list(servers) + " after " +
                               std::to_string(attempts) + " attempts: " + last_error,
                           false);
}

}  // namespace mdp::wire

#endif  // MDP_WIRE_NATS_CLIENT_HPP
