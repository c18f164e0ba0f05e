#pragma once
// Typed, path-aware reading of a JSON config object. The reading itself is the SDK's
// mdp::sdk::ConfigReader (plugins use the same one, so host and plugin errors read alike);
// this adds what only the host knows: the file name, and values that an MDP_* environment
// variable overrode. Every accessor throws ConfigError naming the file and the JSON path
// (e.g. `store.batch_size`) with what was expected; finish() rejects keys nobody read.

#include "config/config_error.hpp"

#include <mdp/sdk/config_reader.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mdp::config {

// Where a value came from, for error messages: the file and, for values that an
// environment variable overrode, that variable's name (keyed by JSON path).
// Called with the JSON path of every key a reader asks for, present in the document or not
// (`providers[0].restart.policy`): the loader's own list of the keys it knows, which the
// schema test compares with docs/config.schema.json. Runs on the reading thread.
using ConfigKeyListener = std::function<void(const std::string& json_path)>;

struct ConfigOrigin {
    std::string file;
    std::map<std::string, std::string> env_overrides;  // JSON path -> MDP_* variable
    ConfigKeyListener key_listener;  // empty: nobody listens
};

class JsonNode {
   public:
    JsonNode(const nlohmann::json& value, std::string path, std::shared_ptr<const ConfigOrigin> origin);

    [[nodiscard]] const std::string& path() const { return reader_.path(); }
    [[nodiscard]] const nlohmann::json& raw() const { return reader_.raw(); }
    [[nodiscard]] bool has(const std::string& key) const;

    // Required/optional members of an object node. Numbers are range-checked (inclusive).
    [[nodiscard]] std::string get_string(const std::string& key, const std::optional<std::string>& fallback = {});
    [[nodiscard]] bool get_bool(const std::string& key, std::optional<bool> fallback = {});
    [[nodiscard]] std::int64_t get_int(const std::string& key, std::int64_t min, std::int64_t max,
                                       std::optional<std::int64_t> fallback = {});
    [[nodiscard]] double get_double(const std::string& key, double min, double max,
                                    std::optional<double> fallback = {});
    // One of `allowed` (the error lists them).
    [[nodiscard]] std::string get_enum(const std::string& key, const std::vector<std::string>& allowed,
                                       const std::optional<std::string>& fallback = {});
    [[nodiscard]] std::vector<std::string> get_string_list(const std::string& key,
                                                           const std::vector<std::string>& fallback);
    // Child object (an empty object when absent and `optional`), or array elements.
    [[nodiscard]] JsonNode child_object(const std::string& key, bool optional = true);
    [[nodiscard]] std::vector<JsonNode> child_array(const std::string& key, bool optional = true);
    // Marks a key as known without reading it (e.g. a plugin's free-form config).
    void accept(const std::string& key);

    // Throws for any member that no accessor read. Call once all keys were read.
    void finish() const;

    // Throws ConfigError at this node's path (or path.key) with `message`.
    [[noreturn]] void fail(const std::string& message) const;
    [[noreturn]] void fail_at(const std::string& key, const std::string& message) const;

   private:
    // Runs `read` (a call on the SDK reader), turning its ConfigProblem into a ConfigError.
    template <typename Read>
    auto reading(Read&& read) const -> decltype(read()) {
        try {
            return read();
        } catch (const sdk::ConfigProblem& problem) {
            throw ConfigError(origin_->file, describe(problem.path()), problem.message());
        }
    }
    [[nodiscard]] std::string describe(const std::string& path) const;

    // mutable: reading marks keys as read, also from const helpers like reading().
    mutable sdk::ConfigReader reader_;
    std::shared_ptr<const ConfigOrigin> origin_;
};

// A short name of a JSON value's type for messages ("a string", "an array", ...).
std::string describe_json_type(const nlohmann::json& value);

}  // namespace mdp::config
