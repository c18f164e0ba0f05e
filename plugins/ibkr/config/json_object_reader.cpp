#include "json_object_reader.hpp"

#include <cmath>
#include <limits>

namespace mdp::ibkr {

using nlohmann::json;

std::string describe_json_value(const json& value) {
    switch (value.type()) {
        case json::value_t::object:
            return "an object";
        case json::value_t::array:
            return "an array";
        case json::value_t::null:
            return "null";
        case json::value_t::string: {
            std::string text = value.get<std::string>();
            if (text.size() > 40) {
                text = text.substr(0, 37) + "...";
            }
            return json(text).dump();
        }
        default:
            return value.dump();
    }
}

std::string integer_range_text(std::int64_t min, std::int64_t max) {
    if (max == std::numeric_limits<std::int64_t>::max()) {
        return "an integer >= " + std::to_string(min);
    }
    return "an integer from " + std::to_string(min) + " to " + std::to_string(max);
}

JsonObjectReader::JsonObjectReader(const json& value, std::string path) : value_(value), path_(std::move(path)) {
    if (!value_.is_object()) {
        throw ConfigProblem((path_.empty() ? std::string("config") : path_) + ": expected an object, found " +
                            describe_json_value(value_));
    }
}

bool JsonObjectReader::has(const std::string& key) const { return value_.contains(key); }

std::string JsonObjectReader::path_of(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

const json* JsonObjectReader::member(const std::string& key) {
    read_keys_.insert(key);
    const auto found = value_.find(key);
    return found == value_.end() ? nullptr : &*found;
}

void JsonObjectReader::fail_at(const std::string& key, const std::string& expected) const {
    throw ConfigProblem(path_of(key) + ": expected " + expected);
}

void JsonObjectReader::fail_at(const std::string& key, const std::string& expected, const json& found) const {
    throw ConfigProblem(path_of(key) + ": expected " + expected + ", found " + describe_json_value(found));
}

std::string JsonObjectReader::string(const std::string& key, const std::optional<std::string>& fallback) {
    const json* value = member(key);
    if (value == nullptr) {
        if (!fallback) {
            fail_at(key, "a string (this key is required)");
        }
        return *fallback;
    }
    if (!value->is_string()) {
        fail_at(key, "a string", *value);
    }
    std::string text = value->get<std::string>();
    if (text.find('\0') != std::string::npos) {
        fail_at(key, "a string without NUL characters");
    }
    return text;
}

std::string JsonObjectReader::nonempty_string(const std::string& key, const std::optional<std::string>& fallback) {
    const json* value = value_.contains(key) ? &value_.at(key) : nullptr;
    std::string text = string(key, fallback);
    if (text.empty()) {
        fail_at(key, "a non-empty string", value != nullptr ? *value : json(""));
    }
    return text;
}

bool JsonObjectReader::boolean(const std::string& key, bool fallback) {
    const json* value = member(key);
    if (value == nullptr) {
        return fallback;
    }
    if (!value->is_boolean()) {
        fail_at(key, "true or false", *value);
    }
    return value->get<bool>();
}

std::int64_t JsonObjectReader::integer(const std::string& key, std::int64_t min, std::int64_t max,
                                       std::optional<std::int64_t> fallback) {
    const json* value = member(key);
    if (value == nullptr) {
        if (!fallback) {
            fail_at(key, integer_range_text(min, max) + " (this key is required)");
        }
        return *fallback;
    }
    if (value->is_number_integer()) {
        const bool is_unsigned = value->is_number_unsigned();
        if (!is_unsigned || value->get<std::uint64_t>() <= static_cast<std::uint64_t>(max)) {
            const std::int64_t number =
                is_unsigned ? static_cast<std::int64_t>(value->get<std::uint64_t>()) : value->get<std::int64_t>();
            if (number >= min && number <= max) {
                return number;
            }
        }
    }
    fail_at(key, integer_range_text(min, max), *value);
}

double JsonObjectReader::number(const std::string& key, double min, double max, std::optional<double> fallback) {
    const json* value = member(key);
    auto range_text = [&] { return "a number from " + json(min).dump() + " to " + json(max).dump(); };
    if (value == nullptr) {
        if (!fallback) {
            fail_at(key, range_text() + " (this key is required)");
        }
        return *fallback;
    }
    if (value->is_number()) {
        const double number = value->get<double>();
        if (std::isfinite(number) && number >= min && number <= max) {
            return number;
        }
    }
    fail_at(key, range_text(), *value);
}

std::string JsonObjectReader::one_of(const std::string& key, const std::vector<std::string>& allowed,
                                     const std::optional<std::string>& fallback) {
    std::string list;
    for (const auto& option : allowed) {
        list += (list.empty() ? "" : ", ") + json(option).dump();
    }
    const json* value = member(key);
    if (value == nullptr) {
        if (!fallback) {
            fail_at(key, "one of " + list + " (this key is required)");
        }
        return *fallback;
    }
    if (value->is_string()) {
        std::string text = value->get<std::string>();  // not const: returned by move
        for (const auto& option : allowed) {
            if (option == text) {
                return text;
            }
        }
    }
    fail_at(key, "one of " + list, *value);
}

void JsonObjectReader::finish() const {
    for (const auto& [key, unused] : value_.items()) {
        if (read_keys_.count(key) == 0) {
            std::string known;
            for (const auto& read : read_keys_) {
                known += (known.empty() ? "" : ", ") + read;
            }
            throw ConfigProblem(path_of(key) + ": unknown key; expected one of " + known);
        }
    }
}

}  // namespace mdp::ibkr
