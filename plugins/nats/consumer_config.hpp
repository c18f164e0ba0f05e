#pragma once
// The `nats` provider's settings: where the servers are, which stream and durable consumer to
// read, how to authenticate, how much to fetch. Read from the provider's `config` object with
// the SDK's ConfigReader; MDP_NATS_SERVERS and the MDP_NATS_* credential variables (the same
// ones the `nats` sink reads) take precedence over the keys, so secrets stay out of config
// files. Keys and defaults: plugins/nats/README.md.

#include <mdp/plugin.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace mdp::nats_provider {

// What to do with a message no reader of this version can decode.
enum class UndecodablePolicy {
    terminate,  // natsMsg_Term: never redelivered (counted and logged with its subject)
    keep,  // natsMsg_Nak with a delay: redelivered until a reader that knows the format takes it
};

struct ConsumerConfig {
    std::vector<std::string> servers{"nats://127.0.0.1:4222"};
    std::string stream = "MDP_EVENTS";
    std::string consumer = "mdp-store";  // the durable pull consumer every store replica shares
    std::string filter_subject = "mdp.events.>";
    bool create_consumer = true;  // false: it must exist (created by an operator)
    std::chrono::milliseconds ack_wait{30'000};
    std::int64_t max_ack_pending = 1024;  // messages delivered and not yet acknowledged, all replicas
    std::int64_t max_deliver = -1;  // -1 = unlimited
    int fetch_batch = 64;  // messages per pull request at rate scale 1.0
    std::chrono::milliseconds fetch_wait{500};  // longest wait of an idle pull request
    std::chrono::milliseconds stop_drain_timeout{5000};  // stop(): wait this long for the store
    UndecodablePolicy malformed = UndecodablePolicy::terminate;  // payload or id that can never decode
    UndecodablePolicy future_format = UndecodablePolicy::keep;  // a newer version of a known format
    std::chrono::milliseconds keep_redelivery_delay{5000};  // Nak delay for `keep`
    std::filesystem::path credentials_file;
    std::string user;
    std::string password;
    std::string token;
    std::chrono::milliseconds connect_timeout{2000};
    std::uint32_t connect_attempts = 3;
    std::chrono::milliseconds reconnect_wait{250};
};

// Reads and validates `config_json`, then applies `environment` (MDP_NATS_* -> value). Throws
// sdk::ConfigProblem naming the JSON path or the variable. `host` resolves a relative
// credentials_file against the config's directory.
ConsumerConfig parse_consumer_config(std::string_view config_json, const sdk::Host& host,
                                     const std::map<std::string, std::string>& environment);

// The MDP_NATS_* variables of this process.
std::map<std::string, std::string> nats_environment();

}  // namespace mdp::nats_provider
