#include "config/env_overrides.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX, not in a header

namespace mdp::config {

namespace {

constexpr std::string_view kPrefix = "MDP_";
constexpr std::string_view kGeneralPrefix = "MDP__";

// Variables that configure something other than the config document (the nats sink reads
// its servers and credentials itself: sinks/nats/nats_sink_options.cpp; the runner of isolated
// providers: isolation/runner_provider.cpp).
constexpr const char* kNonConfigVariables[] = {"MDP_CONFIG",         "MDP_NATS_SERVERS",  "MDP_NATS_CREDENTIALS_FILE",
                                               "MDP_NATS_USER",      "MDP_NATS_PASSWORD", "MDP_NATS_TOKEN",
                                               "MDP_PROVIDER_RUNNER"};
constexpr const char* kIgnoredVariables[] = {"MDP_MODE", "MDP_FB_PROVIDER_NAME"};

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

nlohmann::json parse_value(const std::string& text) {
    const std::string lowered = lowercase(text);
    if (lowered == "true" || lowered == "yes" || lowered == "on") {
        return true;
    }
    if (lowered == "false" || lowered == "no" || lowered == "off") {
        return false;
    }
    auto parsed = nlohmann::json::parse(text, nullptr, false);  // not const: returned by move
    if (!parsed.is_discarded() && (parsed.is_number() || parsed.is_null())) {
        return parsed;
    }
    return text;
}

std::vector<std::string> split_path(const std::string& dotted) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= dotted.size()) {
        const std::size_t end = std::min(dotted.find('.', start), dotted.size());
        parts.push_back(dotted.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

void set_path(nlohmann::json& document, const std::vector<std::string>& parts, nlohmann::json value,
              const std::string& variable, const std::string& file) {
    nlohmann::json* node = &document;
    std::string walked;
    for (std::size_t index = 0; index + 1 < parts.size(); ++index) {
        walked += (walked.empty() ? "" : ".") + parts[index];
        nlohmann::json& next = (*node)[parts[index]];
        if (next.is_null()) {
            next = nlohmann::json::object();
        }
        if (!next.is_object()) {
            throw ConfigError(file, walked + " (from environment variable " + variable + ")",
                              "cannot set a key inside " + describe_json_type(next) + "; expected an object");
        }
        node = &next;
    }
    (*node)[parts.back()] = std::move(value);
}

std::string general_rule_path(const std::string& variable) {
    // MDP__STORE__QUEUE_CAPACITY -> store.queue_capacity
    std::string rest = variable.substr(kGeneralPrefix.size());
    std::string path;
    std::size_t start = 0;
    while (true) {
        const std::size_t separator = rest.find("__", start);
        const std::string part =
            rest.substr(start, separator == std::string::npos ? std::string::npos : separator - start);
        if (part.empty()) {
            return {};
        }
        path += (path.empty() ? "" : ".") + lowercase(part);
        if (separator == std::string::npos) {
            return path;
        }
        start = separator + 2;
    }
}

}  // namespace

const std::vector<NamedVariable>& named_environment_variables() {
    static const std::vector<NamedVariable> variables = {
        {"MDP_METRICS_ENABLE", "http.metrics_enabled"},
        {"MDP_FB_ENABLE_FEEDBACK", "backpressure.feedback_enabled"},
        {"MDP_FB_SCALE_OK", "backpressure.scale.ok"},
        {"MDP_FB_SCALE_SOFT", "backpressure.scale.soft"},
        {"MDP_FB_SCALE_HARD", "backpressure.scale.hard"},
        {"MDP_HIGH_WATERMARK_PCT", "backpressure.high_watermark_pct"},
        {"MDP_LOW_WATERMARK_PCT", "backpressure.low_watermark_pct"},
        {"MDP_LOG_LEVEL", "logging.level"},
        {"MDP_LOG_FORMAT", "logging.format"},
        {"MDP_HTTP_PORT", "http.port"},
        {"MDP_HTTP_BIND_ADDRESS", "http.bind_address"},
        {"MDP_ADMIN_TOKEN", "http.admin_token"},
        {"MDP_QUEUE_CAPACITY", "store.queue_capacity"},
        {"MDP_OVERFLOW_POLICY", "store.overflow_policy"},
        {"MDP_ALLOW_INSECURE_PLUGINS", "plugin_security.allow_insecure_permissions"},
        {"MDP_SHARD_INDEX", "shard.index"},
        {"MDP_SHARD_COUNT", "shard.count"},
    };
    return variables;
}

std::map<std::string, std::string> mdp_environment() {
    std::map<std::string, std::string> result;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        const auto equals = text.find('=');
        if (equals != std::string_view::npos && text.starts_with(kPrefix)) {
            result.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
        }
    }
    return result;
}

std::vector<std::string> apply_env_overrides(nlohmann::json& document,
                                             const std::map<std::string, std::string>& environment,
                                             ConfigOrigin& origin) {
    std::vector<std::string> notices;
    for (const auto& entry : environment) {
        // Named references, not a structured binding: lambdas below capture `variable`,
        // which Clang before 16 rejects for bindings (the fuzz build uses Clang 14).
        const std::string& variable = entry.first;
        const std::string& text = entry.second;
        if (!variable.starts_with(kPrefix) ||
            std::any_of(std::begin(kNonConfigVariables), std::end(kNonConfigVariables),
                        [&](const char* name) { return variable == name; })) {
            continue;
        }
        if (std::any_of(std::begin(kIgnoredVariables), std::end(kIgnoredVariables),
                        [&](const char* name) { return variable == name; })) {
            notices.push_back(variable + "=" + text +
                              " is accepted for compatibility and has no effect: mdp applies feedback to every "
                              "provider instance and has a single mode");
            continue;
        }
        std::string path;
        for (const auto& named : named_environment_variables()) {
            if (variable == named.variable) {
                path = named.json_path;
            }
        }
        if (path.empty() && variable.starts_with(kGeneralPrefix)) {
            path = general_rule_path(variable);
        }
        if (path.empty()) {
            // Not an error: Kubernetes injects <SERVICE>_PORT-style variables for a Service
            // named mdp-..., and those must not stop the pod.
            notices.push_back(variable +
                              " is not an mdp setting and is ignored (settings are the documented "
                              "MDP_ names or MDP__SECTION__KEY)");
            continue;
        }
        set_path(document, split_path(path), parse_value(text), variable, origin.file);
        origin.env_overrides[path] = variable;
    }
    return notices;
}

}  // namespace mdp::config
