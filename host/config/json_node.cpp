#include "config/json_node.hpp"

namespace mdp::config {

std::string describe_json_type(const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::null:
            return "null";
        case nlohmann::json::value_t::object:
            return "an object";
        case nlohmann::json::value_t::array:
            return "an array";
        case nlohmann::json::value_t::string:
            return "a string";
        case nlohmann::json::value_t::boolean:
            return "a boolean";
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned:
            return "an integer";
        case nlohmann::json::value_t::number_float:
            return "a number";
        default:
            return "an unsupported value";
    }
}

JsonNode::JsonNode(const nlohmann::json& value, std::string path, std::shared_ptr<const ConfigOrigin> origin)
    : reader_(value, std::move(path)), origin_(std::move(origin)) {
    if (origin_->key_listener) {
        reader_.set_key_listener(origin_->key_listener);
    }
}

bool JsonNode::has(const std::string& key) const { return reader_.has(key); }

std::string JsonNode::describe(const std::string& path) const {
    const auto found = origin_->env_overrides.find(path);
    if (found == origin_->env_overrides.end()) {
        return path.empty() ? std::string("(top level)") : path;
    }
    return path + " (from environment variable " + found->second + ")";
}

void JsonNode::fail(const std::string& message) const { throw ConfigError(origin_->file, describe(path()), message); }

void JsonNode::fail_at(const std::string& key, const std::string& message) const {
    throw ConfigError(origin_->file, describe(reader_.path_of(key)), message);
}

void JsonNode::accept(const std::string& key) { reader_.accept(key); }

std::string JsonNode::get_string(const std::string& key, const std::optional<std::string>& fallback) {
    return reading([&] { return reader_.string(key, fallback); });
}

bool JsonNode::get_bool(const std::string& key, std::optional<bool> fallback) {
    // Environment variables commonly spell booleans 1/0; the override cannot know the type.
    if (origin_->env_overrides.count(reader_.path_of(key)) != 0) {
        const nlohmann::json* value = reading([&] { return reader_.member(key); });
        if (value != nullptr && value->is_number_integer() &&
            (value->get<std::int64_t>() == 0 || value->get<std::int64_t>() == 1)) {
            return value->get<std::int64_t>() == 1;
        }
    }
    return reading([&] { return reader_.boolean(key, fallback); });
}

std::int64_t JsonNode::get_int(const std::string& key, std::int64_t min, std::int64_t max,
                               std::optional<std::int64_t> fallback) {
    return reading([&] { return reader_.integer(key, min, max, fallback); });
}

double JsonNode::get_double(const std::string& key, double min, double max, std::optional<double> fallback) {
    return reading([&] { return reader_.number(key, min, max, fallback); });
}

std::string JsonNode::get_enum(const std::string& key, const std::vector<std::string>& allowed,
                               const std::optional<std::string>& fallback) {
    return reading([&] { return reader_.one_of(key, allowed, fallback); });
}

std::vector<std::string> JsonNode::get_string_list(const std::string& key, const std::vector<std::string>& fallback) {
    return reading([&] { return reader_.string_list(key, fallback); });
}

JsonNode JsonNode::child_object(const std::string& key, bool optional) {
    sdk::ConfigReader child = reading([&] { return reader_.object(key, !optional); });
    return JsonNode(child.raw(), child.path(), origin_);
}

std::vector<JsonNode> JsonNode::child_array(const std::string& key, bool optional) {
    std::vector<JsonNode> items;
    for (const auto& element : reading([&] { return reader_.elements(key, "an array", !optional); })) {
        items.emplace_back(element.value, element.path, origin_);
    }
    return items;
}

void JsonNode::finish() const {
    reading([&] { reader_.finish(); });
}

}  // namespace mdp::config
