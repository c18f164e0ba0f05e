#include "sinks/nats/nats_sink_options.hpp"

#include "config/config_error.hpp"
#include "sinks/nats/nats_subject.hpp"
#include "sinks/sink_path.hpp"

#include <mdp/sdk/server_list.hpp>
#include <mdp/wire/nats_settings.hpp>

namespace mdp::sinks {

namespace {

constexpr std::int64_t kMillisecondsPerDay = 86'400'000;

void read_servers(config::JsonNode& node, NatsSinkOptions& options) {
    options.servers = node.get_string_list("servers", options.servers);
    if (options.servers.empty()) {
        node.fail_at("servers", "expected at least one server URL, e.g. \"nats://127.0.0.1:4222\"");
    }
    for (std::size_t i = 0; i < options.servers.size(); ++i) {
        if (!sdk::looks_like_server_url(options.servers[i])) {
            node.fail_at("servers[" + std::to_string(i) + "]",
                         "expected a server URL such as \"nats://host:4222\", found \"" + options.servers[i] + "\"");
        }
    }
}

void read_stream_settings(config::JsonNode& node, NatsSinkOptions& options) {
    options.stream = node.get_string("stream", options.stream);
    if (!is_valid_stream_name(options.stream)) {
        node.fail_at("stream",
                     "expected a stream name of letters, digits, '-' and '_', found \"" + options.stream + "\"");
    }
    options.subject_prefix = node.get_string("subject_prefix", options.subject_prefix);
    if (!is_valid_subject_prefix(options.subject_prefix)) {
        node.fail_at("subject_prefix",
                     "expected dot-separated tokens of letters, digits, '-' and '_' (no wildcards), found \"" +
                         options.subject_prefix + "\"");
    }
    NatsStreamSettings& stream = options.stream_settings;
    stream.create = node.get_bool("create_stream", stream.create);
    const std::string retention = node.get_enum("retention", {"workqueue", "limits", "interest"}, "workqueue");
    stream.retention = retention == "limits"     ? NatsRetention::limits
                       : retention == "interest" ? NatsRetention::interest
                                                 : NatsRetention::workqueue;
    stream.max_bytes = node.get_int("max_bytes", -1, INT64_MAX, stream.max_bytes);
    if (stream.max_bytes == 0) {
        node.fail_at("max_bytes", "expected -1 (unlimited) or a positive number of bytes, found 0");
    }
    stream.max_age_ms = node.get_int("max_age_ms", 0, 3650 * kMillisecondsPerDay, stream.max_age_ms);
    stream.duplicate_window_ms =
        node.get_int("duplicate_window_ms", 1000, 7 * kMillisecondsPerDay, stream.duplicate_window_ms);
    stream.file_storage = node.get_enum("storage", {"file", "memory"}, "file") == "file";
    stream.replicas = node.get_int("replicas", 1, 5, stream.replicas);
}

void read_credentials(config::JsonNode& node, const config::RawSection& settings, NatsSinkOptions& options) {
    const std::string credentials_file = node.get_string("credentials_file", std::string());
    if (!credentials_file.empty()) {
        options.credentials_file = resolve_sink_path(settings, credentials_file);
    }
    options.user = node.get_string("user", std::string());
    options.password = node.get_string("password", std::string());
    options.token = node.get_string("token", std::string());
}

void read_publishing(config::JsonNode& node, NatsSinkOptions& options) {
    options.encoding = node.get_enum("encoding", {"binary", "json"}, "binary") == "json" ? wire::Encoding::json
                                                                                         : wire::Encoding::binary;
    options.max_events_per_message = static_cast<std::size_t>(node.get_int(
        "max_events_per_message", 1, 1'000'000, static_cast<std::int64_t>(options.max_events_per_message)));
    options.max_in_flight = static_cast<std::size_t>(
        node.get_int("max_in_flight", 1, 65'536, static_cast<std::int64_t>(options.max_in_flight)));
    options.max_batches_in_flight = static_cast<std::size_t>(
        node.get_int("max_batches_in_flight", 1, 16, static_cast<std::int64_t>(options.max_batches_in_flight)));
    options.publish_timeout = std::chrono::milliseconds(node.get_int("publish_timeout_ms", 100, 600'000, 5000));
    options.connect_timeout = std::chrono::milliseconds(node.get_int("connect_timeout_ms", 100, 600'000, 2000));
    options.connect_attempts = static_cast<std::uint32_t>(node.get_int("connect_attempts", 1, 1000, 3));
    options.reconnect_wait = std::chrono::milliseconds(node.get_int("reconnect_wait_ms", 10, 60'000, 250));
    options.circuit_failure_threshold =
        static_cast<std::uint32_t>(node.get_int("circuit_failure_threshold", 1, 1'000'000, 5));
    options.circuit_cooldown = std::chrono::milliseconds(node.get_int("circuit_cooldown_ms", 0, 3'600'000, 2000));
    options.preferred_batch_size = static_cast<std::size_t>(
        node.get_int("preferred_batch_size", 1, 1'000'000, static_cast<std::int64_t>(options.preferred_batch_size)));
}

}  // namespace

NatsSinkOptions read_nats_sink_options(config::JsonNode& node, const config::RawSection& settings,
                                       const std::map<std::string, std::string>& environment) {
    NatsSinkOptions options;
    read_servers(node, options);
    read_stream_settings(node, options);
    read_credentials(node, settings, options);
    read_publishing(node, options);
    try {
        wire::apply_nats_environment(environment, options);
    } catch (const wire::NatsSettingsError& error) {
        throw config::ConfigError("", error.key(), std::string(error.what()) + " (for " + node.path() + ")");
    }
    try {
        wire::check_nats_credentials(options);
    } catch (const wire::NatsSettingsError& error) {
        node.fail(error.what());
    }
    return options;
}

const char* retention_name(NatsRetention retention) {
    switch (retention) {
        case NatsRetention::limits:
            return "limits";
        case NatsRetention::interest:
            return "interest";
        case NatsRetention::workqueue:
            break;
    }
    return "workqueue";
}

std::string servers_text(const std::vector<std::string>& servers) { return sdk::join_server_list(servers); }

}  // namespace mdp::sinks
