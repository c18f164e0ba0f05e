// mdp wire format — the NATS settings both ends of the transport read alike: the host's `nats`
// sink (ingest) and the `nats` provider plugin (store) take the same MDP_NATS_* variables over
// their config and allow one way to authenticate. Header-only, standard library only.
#ifndef MDP_WIRE_NATS_SETTINGS_HPP
#define MDP_WIRE_NATS_SETTINGS_HPP

#include <mdp/sdk/server_list.hpp>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>

namespace mdp::wire {

// A NATS setting that is wrong. key(): the config key or MDP_NATS_* variable it came from, ""
// when the combination of settings is what is wrong. Each component turns it into its own
// config error (the host's with the sink's JSON path, a plugin's with its key path).
class NatsSettingsError : public std::runtime_error {
   public:
    NatsSettingsError(std::string key, const std::string& message)
        : std::runtime_error(message), key_(std::move(key)) {}
    [[nodiscard]] const std::string& key() const noexcept { return key_; }

   private:
    std::string key_;
};

// Overlays the MDP_NATS_* variables of `environment` (name -> value) on `options`, any struct
// with the fields servers, credentials_file, user, password and token (the sink's
// NatsSinkOptions, the provider's ConsumerConfig): a variable that is set wins over the config.
// Throws NatsSettingsError("MDP_NATS_SERVERS", ...) for a server list that is not URLs.
template <typename Options>
void apply_nats_environment(const std::map<std::string, std::string>& environment, Options& options) {
    const auto value_of = [&environment](const char* name) -> const std::string* {
        const auto found = environment.find(name);
        return found == environment.end() ? nullptr : &found->second;
    };
    if (const std::string* servers = value_of("MDP_NATS_SERVERS")) {
        options.servers = sdk::split_server_list(*servers);
        if (!std::all_of(options.servers.begin(), options.servers.end(), sdk::looks_like_server_url)) {
            throw NatsSettingsError(
                "MDP_NATS_SERVERS",
                "expected comma-separated server URLs such as \"nats://host:4222\", found \"" + *servers + "\"");
        }
    }
    const std::pair<const char*, std::string*> text_settings[] = {
        {"MDP_NATS_USER", &options.user}, {"MDP_NATS_PASSWORD", &options.password}, {"MDP_NATS_TOKEN", &options.token}};
    for (const auto& [name, target] : text_settings) {
        if (const std::string* value = value_of(name)) {
            *target = *value;
        }
    }
    if (const std::string* file = value_of("MDP_NATS_CREDENTIALS_FILE")) {
        options.credentials_file = *file;
    }
}

// Checks the credentials of `options` (fields as above), after the environment was applied:
// user and password together, and at most one of a credentials file, user/password, a token.
// Throws NatsSettingsError ("user" or "") saying which rule is broken.
template <typename Options>
void check_nats_credentials(const Options& options) {
    if (options.password.empty() != options.user.empty()) {
        throw NatsSettingsError(
            "user", "user and password go together (keys user/password or MDP_NATS_USER/MDP_NATS_PASSWORD)");
    }
    const int methods = static_cast<int>(!options.credentials_file.empty()) + static_cast<int>(!options.user.empty()) +
                        static_cast<int>(!options.token.empty());
    if (methods > 1) {
        throw NatsSettingsError("", "choose one way to authenticate: credentials_file, user/password or token");
    }
}

}  // namespace mdp::wire

#endif  // MDP_WIRE_NATS_SETTINGS_HPP
