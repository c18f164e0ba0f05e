#pragma once
// The object keys a JSON Schema allows, as JSON paths ("http.port", "providers[].restart.policy"),
// for tests that compare a schema with the keys a config reader really asks for.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>
#include <string>

namespace mdp::test {

// Reads a JSON file; throws std::runtime_error naming the file when it cannot.
nlohmann::json read_json_file(const std::filesystem::path& file);

// Every property path of `schema`, following local "#/definitions/<name>" references and
// array `items` (written "[]"). A property whose schema has no `properties` of its own (or
// refers to another file) is a leaf. Conditional parts (allOf/if/then, oneOf) are not walked:
// compare those variants one definition at a time with definition_keys().
std::set<std::string> schema_key_paths(const nlohmann::json& schema);

// Every object key path of a JSON document (a config), arrays written "[]" as above.
std::set<std::string> instance_key_paths(const nlohmann::json& document);

// The property names of `schema`'s definitions/<name>.
std::set<std::string> definition_keys(const nlohmann::json& schema, const std::string& name);

// "providers[3].restart.policy" -> "providers[].restart.policy".
std::string without_indices(const std::string& json_path);

// The elements of `left` that are not in `right`, one per line (empty when none).
std::string missing_from(const std::set<std::string>& left, const std::set<std::string>& right);

// The keys a plugin's config schema names next to the keys an every-key fixture sets, for the
// "the fixture covers the schema" tests of each plugin.
struct SchemaCoverage {
    std::set<std::string> schema_keys;
    std::set<std::string> fixture_keys;
    // What each side has that the other lacks, for the failure message.
    [[nodiscard]] std::string difference() const {
        return "in the schema, not in the fixture:\n" + missing_from(schema_keys, fixture_keys) +
               "in the fixture, not in the schema:\n" + missing_from(fixture_keys, schema_keys);
    }
};
SchemaCoverage schema_coverage(const nlohmann::json& schema, const nlohmann::json& fixture);

}  // namespace mdp::test
