#include "consumer_config.hpp"

#include <mdp/sdk/config_reader.hpp>
#include <mdp/sdk/server_list.hpp>
#include <mdp/wire/nats_settings.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX, declared by no header we include

namespace mdp::nats_provider {

namespace {

constexpr std::int64_t kMillisecondsPerHour = 3'600'000;

// Stream and consumer names: letters, digits, '-' and '_' (what JetStream accepts everywhere).
bool is_valid_name(const std::string& name) {
    return !name.empty() && name.size() <= 255 && std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) != 0 || c == '-' || c == '_';
    });
}

// Dot-separated tokens; '*' may stand for a token and '>' for the rest (last token only).
bool is_valid_filter(const std::string& subject) {
    std::size_t start = 0;
    while (start <= subject.size()) {
        const std::size_t dot = std::min(subject.find('.', start), subject.size());
        const std::string token = subject.substr(start, dot - start);
        const bool wildcard = token == "*" || (token == ">" && dot == subject.size());
        const bool plain = !token.empty() && std::all_of(token.begin(), token.end(), [](unsigned char c) {
            return std::isgraph(c) != 0 && c != '*' && c != '>';
        });
        if (!wildcard && !plain) {
            return false;
        }
        start = dot + 1;
    }
    return true;
}

void read_servers(sdk::ConfigReader& reader, ConsumerConfig& config) {
    config.servers = reader.string_list("servers", config.servers);
    if (config.servers.empty()) {
        reader.fail_at("servers", "at least one server URL, e.g. \"nats://127.0.0.1:4222\"");
    }
    for (std::size_t i = 0; i < config.servers.size(); ++i) {
        if (!sdk::looks_like_server_url(config.servers[i])) {
            reader.fail_at("servers[" + std::to_string(i) + "]",
                           "a server URL such as \"nats://host:4222\", found \"" + config.servers[i] + "\"");
        }
    }
}

void read_consumer(sdk::ConfigReader& reader, ConsumerConfig& config) {
    config.stream = reader.string("stream", config.stream);
    if (!is_valid_name(config.stream)) {
        reader.fail_at("stream", "a stream name of letters, digits, '-' and '_', found \"" + config.stream + "\"");
    }
    config.consumer = reader.string("consumer", config.consumer);
    if (!is_valid_name(config.consumer)) {
        reader.fail_at("consumer",
                       "a consumer name of letters, digits, '-' and '_', found \"" + config.consumer + "\"");
    }
    config.filter_subject = reader.string("filter_subject", config.filter_subject);
    if (!is_valid_filter(config.filter_subject)) {
        reader.fail_at("filter_subject",
                       "a subject such as \"mdp.events.>\" (dot-separated tokens, '*' or a final "
                       "'>'), found \"" +
                           config.filter_subject + "\"");
    }
    config.create_consumer = reader.boolean("create_consumer", config.create_consumer);
    config.ack_wait = std::chrono::milliseconds(reader.integer("ack_wait_ms", 1000, kMillisecondsPerHour, 30'000));
    config.max_ack_pending = reader.integer("max_ack_pending", 1, 1'000'000, config.max_ack_pending);
    config.max_deliver = reader.integer("max_deliver", -1, 1'000'000, config.max_deliver);
    if (config.max_deliver == 0) {
        reader.fail_at("max_deliver", "-1 (unlimited) or a positive number of deliveries, found 0");
    }
}

UndecodablePolicy read_policy(sdk::ConfigReader& reader, const std::string& key, UndecodablePolicy fallback) {
    return reader.choice<UndecodablePolicy>(
        key, {{"terminate", UndecodablePolicy::terminate}, {"keep", UndecodablePolicy::keep}}, fallback);
}

void read_fetching(sdk::ConfigReader& reader, ConsumerConfig& config) {
    config.fetch_batch = static_cast<int>(reader.integer("fetch_batch", 1, 10'000, config.fetch_batch));
    config.fetch_wait = std::chrono::milliseconds(reader.integer("fetch_wait_ms", 10, 60'000, 500));
    config.stop_drain_timeout =
        std::chrono::milliseconds(reader.integer("stop_drain_timeout_ms", 0, kMillisecondsPerHour, 5000));
    config.malformed = read_policy(reader, "malformed_messages", config.malformed);
    config.future_format = read_policy(reader, "future_format_messages", config.future_format);
    config.keep_redelivery_delay =
        std::chrono::milliseconds(reader.integer("keep_redelivery_delay_ms", 0, kMillisecondsPerHour, 5000));
    config.connect_timeout = std::chrono::milliseconds(reader.integer("connect_timeout_ms", 100, 600'000, 2000));
    config.connect_attempts = static_cast<std::uint32_t>(reader.integer("connect_attempts", 1, 1000, 3));
    config.reconnect_wait = std::chrono::milliseconds(reader.integer("reconnect_wait_ms", 10, 60'000, 250));
}

void read_credentials(sdk::ConfigReader& reader, const sdk::Host& host, ConsumerConfig& config) {
    const std::string credentials_file = reader.string("credentials_file", std::string());
    if (!credentials_file.empty()) {
        config.credentials_file = host.resolve_path(credentials_file);
    }
    config.user = reader.string("user", std::string());
    config.password = reader.string("password", std::string());
    config.token = reader.string("token", std::string());
}

}  // namespace

ConsumerConfig parse_consumer_config(std::string_view config_json, const sdk::Host& host,
                                     const std::map<std::string, std::string>& environment) {
    const nlohmann::json document = sdk::ConfigReader::parse(config_json);
    sdk::ConfigReader reader(document);
    ConsumerConfig config;
    read_servers(reader, config);
    read_consumer(reader, config);
    read_fetching(reader, config);
    read_credentials(reader, host, config);
    reader.finish();
    try {
        wire::apply_nats_environment(environment, config);
        wire::check_nats_credentials(config);
    } catch (const wire::NatsSettingsError& error) {
        throw sdk::ConfigProblem(error.key(), error.what());
    }
    return config;
}

std::map<std::string, std::string> nats_environment() {
    std::map<std::string, std::string> variables;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        const std::size_t equals = text.find('=');
        if (equals != std::string_view::npos && text.substr(0, equals).rfind("MDP_NATS_", 0) == 0) {
            variables.emplace(text.substr(0, equals), text.substr(equals + 1));
        }
    }
    return variables;
}

}  // namespace mdp::nats_provider
