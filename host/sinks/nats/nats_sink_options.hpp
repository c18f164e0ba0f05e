#pragma once
// The `nats` sink's settings: where the servers are, which stream and subjects, how to
// authenticate, how batches are published. Read from the sink's config object; the
// MDP_NATS_* environment variables (servers and credentials, so secrets stay out of config
// files) take precedence over the keys. Keys and defaults: docs/sinks.md (`nats`).

#include "config/host_config.hpp"
#include "config/json_node.hpp"

#include <mdp/wire/event_batch.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace mdp::sinks {

enum class NatsRetention { limits, workqueue, interest };

// How the sink creates a missing stream (create_stream true); an existing stream is used as
// it is.
struct NatsStreamSettings {
    bool create = true;
    NatsRetention retention = NatsRetention::workqueue;
    std::int64_t max_bytes = 1LL << 30;  // -1 = unlimited; when full, publishes fail (discard new)
    std::int64_t max_age_ms = 0;  // 0 = unlimited
    std::int64_t duplicate_window_ms = 120'000;  // the exactly-once horizon (see docs/scale-out.md)
    bool file_storage = true;  // false = memory
    std::int64_t replicas = 1;
};

struct NatsSinkOptions {
    std::vector<std::string> servers{"nats://127.0.0.1:4222"};
    std::string stream = "MDP_EVENTS";
    std::string subject_prefix = "mdp.events";  // subjects: <prefix>.<provider>.<type>.<symbol>
    NatsStreamSettings stream_settings;
    // Credentials: a .creds file (JWT + NKey seed), or user and password, or a token.
    std::filesystem::path credentials_file;
    std::string user;
    std::string password;
    std::string token;
    wire::Encoding encoding = wire::Encoding::binary;
    std::size_t max_events_per_message = 4096;  // also bounded by the server's max_payload
    std::size_t max_in_flight = 256;  // messages published but not yet acknowledged
    // Batches published before the oldest must be confirmed (Sink::max_pending_writes()).
    std::size_t max_batches_in_flight = 4;
    std::chrono::milliseconds publish_timeout{5000};  // for the PubAcks of one batch, from when they are awaited
    std::chrono::milliseconds connect_timeout{2000};  // per connection attempt
    std::uint32_t connect_attempts = 3;  // at open(); afterwards the client reconnects forever
    std::chrono::milliseconds reconnect_wait{250};
    std::uint32_t circuit_failure_threshold = 5;
    std::chrono::milliseconds circuit_cooldown{2000};
    std::size_t preferred_batch_size = 20000;
};

// Reads and validates the nats keys of `node`, then applies `environment` (MDP_NATS_* ->
// value). Throws ConfigError naming the JSON path or the variable.
NatsSinkOptions read_nats_sink_options(config::JsonNode& node, const config::RawSection& settings,
                                       const std::map<std::string, std::string>& environment);

[[nodiscard]] const char* retention_name(NatsRetention retention);

// The server URLs joined by commas, for messages and Sink::destination().
[[nodiscard]] std::string servers_text(const std::vector<std::string>& servers);

}  // namespace mdp::sinks
