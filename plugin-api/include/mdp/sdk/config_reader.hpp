// mdp plugin SDK — typed, path-aware reading of a JSON config object (header-only; needs
// nlohmann/json, Debian package nlohmann-json3-dev).
//
// Every getter checks type and range and throws ConfigProblem (config_problem.hpp) with the
// value's JSON path and a message in one wording, the host's own:
//   <path>: expected <what>, found <what was there>
//   <path>: expected <what>, found nothing (the key is required)
//   <path>: unknown key; expected one of "a", "b" (did you mean "a"?)
// finish() rejects keys no getter read, so a typo never passes silently. The host reads its
// own config with this reader too, so plugins and host speak alike.
//
//   const nlohmann::json document = mdp::sdk::ConfigReader::parse(config_json);
//   mdp::sdk::ConfigReader config(document);
//   const auto port = config.integer("port", 1, 65535, 4002);
//   const auto mode = config.one_of("mode", {"live", "delayed"}, std::string("live"));
//   config.finish();
//
// Not thread-safe; meant for a constructor. The reader refers to the JSON value it reads:
// keep that value alive while the reader is used.
#ifndef MDP_SDK_CONFIG_READER_HPP
#define MDP_SDK_CONFIG_READER_HPP

#include <mdp/sdk/config_problem.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mdp::sdk {

// How a JSON value reads after "found": scalars verbatim (strings quoted, long ones
// shortened), containers by kind ("an object", "an array").
[[nodiscard]] inline std::string describe_json_value(const nlohmann::json& value) {
    constexpr std::size_t kMaxShown = 40;
    if (value.is_object()) {
        return "an object";
    }
    if (value.is_array()) {
        return "an array";
    }
    if (value.is_string()) {
        std::string text = value.get<std::string>();
        if (text.size() > kMaxShown) {
            text = text.substr(0, kMaxShown - 3) + "...";
        }
        return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    return value.dump();
}

// `"a", "b", "c"`.
[[nodiscard]] inline std::string quoted_list(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) {
        text += (text.empty() ? "\"" : ", \"") + item + "\"";
    }
    return text;
}

// The shortest text that reads back as `number` ("0.5", "100", "1e+09").
[[nodiscard]] inline std::string number_text(double number) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
    return std::string(buffer, result.ptr);
}

// The candidate closest to `word` by edit distance (insertions, deletions, substitutions and
// swaps of neighbours count 1 each), when it is close enough to be a typo: at most a third of
// the word's length (at least 1), and not a replacement of the whole word. nullopt otherwise.
[[nodiscard]] inline std::optional<std::string> closest_match(std::string_view word,
                                                              const std::vector<std::string>& candidates) {
    const auto distance = [](std::string_view from, std::string_view to) {
        std::vector<std::vector<std::size_t>> table(from.size() + 1, std::vector<std::size_t>(to.size() + 1));
        for (std::size_t line = 0; line <= from.size(); ++line) {
            for (std::size_t column = 0; column <= to.size(); ++column) {
                if (line == 0 || column == 0) {
                    table[line][column] = line + column;
                    continue;
                }
                const std::size_t substitution = from[line - 1] == to[column - 1] ? 0 : 1;
                table[line][column] = std::min({table[line - 1][column] + 1, table[line][column - 1] + 1,
                                                table[line - 1][column - 1] + substitution});
                if (line > 1 && column > 1 && from[line - 1] == to[column - 2] && from[line - 2] == to[column - 1]) {
                    table[line][column] = std::min(table[line][column], table[line - 2][column - 2] + 1);
                }
            }
        }
        return table[from.size()][to.size()];
    };
    const std::size_t limit = std::min(std::max<std::size_t>(1, word.size() / 3), word.size() - (word.empty() ? 0 : 1));
    std::optional<std::string> best;
    std::size_t best_distance = limit + 1;
    for (const auto& candidate : candidates) {
        const std::size_t candidate_distance = candidate.empty() ? best_distance : distance(word, candidate);
        if (candidate_distance < best_distance) {
            best = candidate;
            best_distance = candidate_distance;
        }
    }
    return best;
}

// One element of a JSON array being read, with its path ("symbols[2]").
struct ConfigElement {
    const nlohmann::json& value;
    std::string path;
};

class ConfigReader {
   public:
    // Reads `value` (an object; anything else fails at the first getter) found at `path`
    // ("" for the config's top level).
    explicit ConfigReader(const nlohmann::json& value, std::string path = {}) : value_(value), path_(std::move(path)) {}

    // Parses a provider's config text. Empty text and `null` read as {}; anything but an
    // object is a ConfigProblem about the object itself (path "").
    [[nodiscard]] static nlohmann::json parse(std::string_view json_text) {
        nlohmann::json document;
        try {
            document = nlohmann::json::parse(json_text.empty() ? std::string_view("{}") : json_text);
        } catch (const nlohmann::json::exception& error) {
            throw ConfigProblem({}, std::string("expected a JSON object (") + error.what() + ")");
        }
        if (document.is_null()) {
            return nlohmann::json::object();
        }
        if (!document.is_object()) {
            throw ConfigProblem({}, "expected an object, found " + describe_json_value(document));
        }
        return document;
    }

    // Optional: hears the JSON path of every key this reader, and each reader object() hands
    // out, asks for (present in the document or not). Lets a tool list the keys a config
    // reader knows, e.g. to compare them with a JSON Schema. Called on the reading thread.
    using KeyListener = std::function<void(const std::string& json_path)>;
    void set_key_listener(KeyListener listener) { key_listener_ = std::move(listener); }

    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    [[nodiscard]] std::string path_of(const std::string& key) const { return config_path_of(path_, key); }
    [[nodiscard]] const nlohmann::json& raw() const noexcept { return value_; }
    [[nodiscard]] bool has(const std::string& key) const { return value_.is_object() && value_.contains(key); }

    // The member `key` (nullptr when absent), marked as read; for values no getter covers.
    const nlohmann::json* member(const std::string& key) {
        if (!value_.is_object()) {
            fail("expected an object, found " + describe_json_value(value_));
        }
        note_key(key);
        const auto found = value_.find(key);
        return found == value_.end() ? nullptr : &*found;
    }
    // Marks `key` as known without reading it (e.g. a free-form sub-object).
    void accept(const std::string& key) { note_key(key); }

    // ---- typed getters: absent and no fallback = the key is required

    std::string string(const std::string& key, const std::optional<std::string>& fallback = std::nullopt) {
        const nlohmann::json* value = present_or(key, "a string", fallback.has_value());
        if (value == nullptr) {
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

    std::string nonempty_string(const std::string& key, const std::optional<std::string>& fallback = std::nullopt) {
        std::string text = string(key, fallback);
        if (text.empty()) {
            fail_at(key, "a non-empty string", nlohmann::json(text));
        }
        return text;
    }

    bool boolean(const std::string& key, std::optional<bool> fallback = std::nullopt) {
        const nlohmann::json* value = present_or(key, "true or false", fallback.has_value());
        if (value == nullptr) {
            return *fallback;
        }
        if (!value->is_boolean()) {
            fail_at(key, "true or false", *value);
        }
        return value->get<bool>();
    }

    // A JSON integer (2.0 is not one) within [min, max].
    std::int64_t integer(const std::string& key, std::int64_t min, std::int64_t max,
                         std::optional<std::int64_t> fallback = std::nullopt) {
        const std::string expected = integer_range_text(min, max);
        const nlohmann::json* value = present_or(key, expected, fallback.has_value());
        if (value == nullptr) {
            return *fallback;
        }
        if (value->is_number_unsigned() && value->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
            fail_at(key, expected, *value);
        }
        if (!value->is_number_integer() || value->get<std::int64_t>() < min || value->get<std::int64_t>() > max) {
            fail_at(key, expected, *value);
        }
        return value->get<std::int64_t>();
    }

    // Any finite JSON number within [min, max].
    double number(const std::string& key, double min, double max, std::optional<double> fallback = std::nullopt) {
        const std::string expected = "a number from " + number_text(min) + " to " + number_text(max);
        const nlohmann::json* value = present_or(key, expected, fallback.has_value());
        if (value == nullptr) {
            return *fallback;
        }
        if (!value->is_number() || !std::isfinite(value->get<double>()) || value->get<double>() < min ||
            value->get<double>() > max) {
            fail_at(key, expected, *value);
        }
        return value->get<double>();
    }

    // One of `allowed` (case-sensitive; the error lists them and suggests the closest).
    std::string one_of(const std::string& key, const std::vector<std::string>& allowed,
                       const std::optional<std::string>& fallback = std::nullopt) {
        const std::string expected = "one of " + quoted_list(allowed);
        const nlohmann::json* value = present_or(key, expected, fallback.has_value());
        if (value == nullptr) {
            return *fallback;
        }
        if (!value->is_string()) {
            fail_at(key, expected, *value);
        }
        std::string text = value->get<std::string>();
        if (std::find(allowed.begin(), allowed.end(), text) == allowed.end()) {
            const auto suggestion = closest_match(text, allowed);
            fail_at(key, expected + ", found " + describe_json_value(*value) +
                             (suggestion ? " (did you mean \"" + *suggestion + "\"?)" : std::string()));
        }
        return text;
    }

    // One of the names in `choices`, returned as its typed value (an enum, usually).
    template <typename Value>
    Value choice(const std::string& key, const std::vector<std::pair<std::string, Value>>& choices,
                 std::optional<Value> fallback = std::nullopt) {
        std::vector<std::string> names;
        names.reserve(choices.size());
        for (const auto& entry : choices) {
            names.push_back(entry.first);
        }
        if (member(key) == nullptr && fallback) {
            return *fallback;
        }
        const std::string name = one_of(key, names);
        return std::find_if(choices.begin(), choices.end(), [&](const auto& entry) { return entry.first == name; })
            ->second;
    }

    // An array of strings; absent = `fallback` (required when there is none).
    std::vector<std::string> string_list(const std::string& key,
                                         const std::optional<std::vector<std::string>>& fallback = std::nullopt) {
        std::vector<std::string> items;
        for (const auto& element : elements(key, "an array of strings", !fallback.has_value())) {
            if (!element.value.is_string()) {
                throw ConfigProblem(element.path, "expected a string, found " + describe_json_value(element.value));
            }
            items.push_back(element.value.get<std::string>());
        }
        return has(key) || !fallback ? items : *fallback;
    }

    // The elements of the array `key`; absent = none (or required when `required`).
    std::vector<ConfigElement> elements(const std::string& key, const std::string& expected = "an array",
                                        bool required = false) {
        const nlohmann::json* value = present_or(key, expected, !required);
        std::vector<ConfigElement> items;
        if (value == nullptr) {
            return items;
        }
        if (!value->is_array()) {
            fail_at(key, expected, *value);
        }
        for (std::size_t index = 0; index < value->size(); ++index) {
            items.push_back({(*value)[index], config_path_of(path_of(key), index)});
        }
        return items;
    }

    // A reader over the object `key` (an empty object when absent, unless `required`).
    ConfigReader object(const std::string& key, bool required = false) {
        const nlohmann::json* value = present_or(key, "an object", !required);
        if (value != nullptr && !value->is_object()) {
            fail_at(key, "an object", *value);
        }
        ConfigReader child(value == nullptr ? empty_object() : *value, path_of(key));
        child.key_listener_ = key_listener_;
        return child;
    }

    // Throws for the first member no getter read (or accept()ed).
    void finish() const {
        if (!value_.is_object()) {
            return;
        }
        const std::vector<std::string> known(read_keys_.begin(), read_keys_.end());
        for (const auto& [key, unused] : value_.items()) {
            if (read_keys_.count(key) == 0) {
                const auto suggestion = closest_match(key, known);
                throw ConfigProblem(path_of(key), "unknown key; expected one of " +
                                                      (known.empty() ? std::string("(none)") : quoted_list(known)) +
                                                      (suggestion ? " (did you mean \"" + *suggestion + "\"?)" : ""));
            }
        }
    }

    // ---- errors in the common wording

    // About this object as a whole.
    [[noreturn]] void fail(const std::string& message) const { throw ConfigProblem(path_, message); }
    // "<path>.<key>: expected <expected>".
    [[noreturn]] void fail_at(const std::string& key, const std::string& expected) const {
        throw ConfigProblem(path_of(key), "expected " + expected);
    }
    // "<path>.<key>: expected <expected>, found <found>".
    [[noreturn]] void fail_at(const std::string& key, const std::string& expected, const nlohmann::json& found) const {
        throw ConfigProblem(path_of(key), "expected " + expected + ", found " + describe_json_value(found));
    }

    // "an integer from 1 to 65535" ("an integer >= 1" without an upper bound).
    [[nodiscard]] static std::string integer_range_text(std::int64_t min, std::int64_t max) {
        if (max == std::numeric_limits<std::int64_t>::max()) {
            return "an integer >= " + std::to_string(min);
        }
        return "an integer from " + std::to_string(min) + " to " + std::to_string(max);
    }

   private:
    void note_key(const std::string& key) {
        read_keys_.insert(key);
        if (key_listener_) {
            key_listener_(path_of(key));
        }
    }

    // The member, or nullptr when absent and optional; absent and required fails.
    const nlohmann::json* present_or(const std::string& key, const std::string& expected, bool optional) {
        const nlohmann::json* value = member(key);
        if (value == nullptr && !optional) {
            throw ConfigProblem(path_of(key), "expected " + expected + ", found nothing (the key is required)");
        }
        return value;
    }

    static const nlohmann::json& empty_object() {
        static const nlohmann::json empty = nlohmann::json::object();
        return empty;
    }

    const nlohmann::json& value_;
    std::string path_;
    std::set<std::string> read_keys_;
    KeyListener key_listener_;
};

}  // namespace mdp::sdk

#endif  // MDP_SDK_CONFIG_READER_HPP
