#include "config/json_node.hpp"

#include <cmath>
#include <sstream>

namespace mdp::config {

namespace {

std::string join(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) {
        text += (text.empty() ? "" : ", ") + ("\"" + item + "\"");
    }
    return text;
}

template <typename Number>
std::string number_text(Number value) {
    std::ostringstream stream;
    stream << value;
    return stream.str();
}

}  // namespace

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
    : value_(value), path_(std::move(path)), origin_(std::move(origin)) {}

bool JsonNode::has(const std::string& key) const { return value_.is_object() && value_.contains(key); }

std::string JsonNode::path_of(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

std::string JsonNode::describe(const std::string& path) const {
    const auto found = origin_->env_overrides.find(path);
    if (found == origin_->env_overrides.end()) {
        return path.empty() ? std::string("(top level)") : path;
    }
    return path + " (from environment variable " + found->second + ")";
}

void JsonNode::fail(const std::string& message) const { throw ConfigError(origin_->file, describe(path_), message); }

void JsonNode::fail_at(const std::string& key, const std::string& message) const {
    throw ConfigError(origin_->file, describe(path_of(key)), message);
}

const nlohmann::json* JsonNode::member(const std::string& key) {
    if (!value_.is_object()) {
        fail("expected an object, found " + describe_json_type(value_));
    }
    note_key(key);
    const auto found = value_.find(key);
    return found == value_.end() ? nullptr : &*found;
}

void JsonNode::accept(const std::string& key) { note_key(key); }

void JsonNode::note_key(const std::string& key) {
    read_keys_.insert(key);
    if (origin_->key_listener) {
        origin_->key_listener(path_of(key));
    }
}

std::string JsonNode::get_string(const std::string& key, const std::optional<std::string>& fallback) {
    const nlohmann::json* value = member(key);
    if (value == nullptr) {
        if (!fallback) {
            fail_at(key, "required, expected a string");
        }
        return *fallback;
    }
    if (!value->is_string()) {
        fail_at(key, "expected a string, found " + describe_json_type(*value));
    }
    return value->get<std::string>();
}

bool JsonNode::get_bool(const std::string& key, std::optional<bool> fallback) {
    const nlohmann::json* value = member(key);
    if (value == nullptr) {
        if (!fallback) {
            fail_at(key, "required, expected true or false");
        }
        return *fallback;
    }
    // Environment variables commonly spell booleans 1/0; the override cannot know the type.
    const bool from_environment = origin_->env_overrides.count(path_of(key)) != 0;
    if (from_environment && value->is_number_integer()) {
        const auto number = value->get<std::int64_t>();
        if (number == 0 || number == 1) {
            return number == 1;
        }
    }
    if (!value->is_boolean()) {
        fail_at(key, "expected true or false, found " + describe_json_type(*value));
    }
    return value->get<bool>();
}

std::int64_t JsonNode::get_int(const std::string& key, std::int64_t min, std::int64_t max,
                               std::optional<std::int64_t> fallback) {
    const std::string expected = "expected an integer from " + number_text(min) + " to " + number_text(max);
    const nlohmann::json* value = member(key);
    if (value == nullptr) {
        if (!fallback) {
            fail_at(key, "required, " + expected);
        }
        return *fallback;
    }
    if (!value->is_number_integer()) {
        fail_at(key, expected + ", found " + describe_json_type(*value));
    }
    if (value->is_number_unsigned() && value->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
        fail_at(key, expected + ", found " + value->dump());
    }
    const auto number = value->get<std::int64_t>();
    if (number < min || number > max) {
        fail_at(key, expected + ", found " + number_text(number));
    }
    return number;
}

double JsonNode::get_double(const std::string& key, double min, double max, std::optional<double> fallback) {
    const std::string expected = "expected a number from " + number_text(min) + " to " + number_text(max);
    const nlohmann::json* value = member(key);
    if (value == nullptr) {
        if (!fallback) {
            fail_at(key, "required, " + expected);
        }
        return *fallback;
    }
    if (!value->is_number()) {
        fail_at(key, expected + ", found " + describe_json_type(*value));
    }
    const auto number = value->get<double>();
    if (!std::isfinite(number) || number < min || number > max) {
        fail_at(key, expected + ", found " + value->dump());
    }
    return number;
}

std::string JsonNode::get_enum(const std::string& key, const std::vector<std::string>& allowed,
                               const std::optional<std::string>& fallback) {
    const nlohmann::json* value = member(key);
    if (value == nullptr && fallback) {
        return *fallback;
    }
    if (value == nullptr || !value->is_string()) {
        fail_at(key, "expected one of " + join(allowed) +
                         (value == nullptr ? std::string(" (required)") : ", found " + describe_json_type(*value)));
    }
    auto text = value->get<std::string>();
    for (const auto& option : allowed) {
        if (option == text) {
            return text;
        }
    }
    fail_at(key, "expected one of " + join(allowed) + ", found \"" + text + "\"");
}

std::vector<std::string> JsonNode::get_string_list(const std::string& key, const std::vector<std::string>& fallback) {
    const nlohmann::json* value = member(key);
    if (value == nullptr) {
        return fallback;
    }
    if (!value->is_array()) {
        fail_at(key, "expected an array of strings, found " + describe_json_type(*value));
    }
    std::vector<std::string> items;
    for (std::size_t index = 0; index < value->size(); ++index) {
        const auto& item = (*value)[index];
        if (!item.is_string()) {
            throw ConfigError(origin_->file, describe(path_of(key)) + "[" + std::to_string(index) + "]",
                              "expected a string, found " + describe_json_type(item));
        }
        items.push_back(item.get<std::string>());
    }
    return items;
}

JsonNode JsonNode::child_object(const std::string& key, bool optional) {
    static const nlohmann::json empty_object = nlohmann::json::object();
    const nlohmann::json* value = member(key);
    if (value == nullptr) {
        if (!optional) {
            fail_at(key, "required, expected an object");
        }
        return JsonNode(empty_object, path_of(key), origin_);
    }
    if (!value->is_object()) {
        fail_at(key, "expected an object, found " + describe_json_type(*value));
    }
    return JsonNode(*value, path_of(key), origin_);
}

std::vector<JsonNode> JsonNode::child_array(const std::string& key, bool optional) {
    const nlohmann::json* value = member(key);
    std::vector<JsonNode> items;
    if (value == nullptr) {
        if (!optional) {
            fail_at(key, "required, expected an array");
        }
        return items;
    }
    if (!value->is_array()) {
        fail_at(key, "expected an array, found " + describe_json_type(*value));
    }
    for (std::size_t index = 0; index < value->size(); ++index) {
        items.emplace_back((*value)[index], path_of(key) + "[" + std::to_string(index) + "]", origin_);
    }
    return items;
}

void JsonNode::finish() const {
    if (!value_.is_object()) {
        return;
    }
    for (const auto& [key, unused] : value_.items()) {
        if (read_keys_.count(key) == 0) {
            std::vector<std::string> known(read_keys_.begin(), read_keys_.end());
            throw ConfigError(origin_->file, describe(path_of(key)),
                              "unknown key; expected one of " + (known.empty() ? std::string("(none)") : join(known)));
        }
    }
}

}  // namespace mdp::config
