#pragma once
// Typed, path-aware reading of one JSON object of the plugin config. Every getter checks
// type and range and throws ConfigProblem naming the key path and what was expected;
// finish() rejects keys nobody read, so a typo never passes silently.

#include "config_problem.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace mdp::ibkr {

class JsonObjectReader {
   public:
    // `path` is the object's own key path ("" for the root, "reconnect", "contracts[2]").
    // Throws when `value` is not an object.
    JsonObjectReader(const nlohmann::json& value, std::string path);

    [[nodiscard]] bool has(const std::string& key) const;
    [[nodiscard]] std::string path_of(const std::string& key) const;

    std::string string(const std::string& key, const std::optional<std::string>& fallback);
    // A non-empty string without NUL bytes.
    std::string nonempty_string(const std::string& key, const std::optional<std::string>& fallback);
    bool boolean(const std::string& key, bool fallback);
    // A JSON integer within [min, max].
    std::int64_t integer(const std::string& key, std::int64_t min, std::int64_t max,
                         std::optional<std::int64_t> fallback);
    // Any JSON number within [min, max].
    double number(const std::string& key, double min, double max, std::optional<double> fallback);
    // One of `allowed` (case-sensitive; the error lists them).
    std::string one_of(const std::string& key, const std::vector<std::string>& allowed,
                       const std::optional<std::string>& fallback);
    // A member that may be absent (nullptr then); marks it read.
    const nlohmann::json* member(const std::string& key);

    // Throws for any member no getter read.
    void finish() const;

    [[noreturn]] void fail_at(const std::string& key, const std::string& expected) const;
    [[noreturn]] void fail_at(const std::string& key, const std::string& expected, const nlohmann::json& found) const;

   private:
    const nlohmann::json& value_;
    std::string path_;
    std::set<std::string> read_keys_;
};

// How a JSON value reads in an error message: scalars verbatim (strings quoted and
// shortened), containers by kind.
std::string describe_json_value(const nlohmann::json& value);

// `expected ...` text for a number range, e.g. "an integer from 1 to 65535".
std::string integer_range_text(std::int64_t min, std::int64_t max);

}  // namespace mdp::ibkr
