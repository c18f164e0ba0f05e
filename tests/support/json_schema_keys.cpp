#include "json_schema_keys.hpp"

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace mdp::test {

namespace {

const nlohmann::json& resolve(const nlohmann::json& root, const nlohmann::json& node) {
    const auto ref = node.find("$ref");
    if (ref == node.end() || !ref->is_string()) {
        return node;
    }
    const std::string prefix = "#/definitions/";
    const auto target = ref->get<std::string>();
    if (target.rfind(prefix, 0) != 0) {
        return node;  // another file: a leaf here
    }
    return resolve(root, root.at("definitions").at(target.substr(prefix.size())));
}

void walk(const nlohmann::json& root, const nlohmann::json& node, const std::string& path,
          std::set<std::string>& paths) {
    const nlohmann::json& schema = resolve(root, node);
    if (const auto items = schema.find("items"); items != schema.end() && items->is_object()) {
        walk(root, *items, path + "[]", paths);
    }
    const auto properties = schema.find("properties");
    if (properties == schema.end()) {
        return;
    }
    for (const auto& [key, child] : properties->items()) {
        const std::string child_path = path.empty() ? key : path + "." + key;
        paths.insert(child_path);
        walk(root, child, child_path, paths);
    }
}

void walk_instance(const nlohmann::json& value, const std::string& path, std::set<std::string>& paths) {
    if (value.is_array()) {
        for (const auto& element : value) {
            walk_instance(element, path + "[]", paths);
        }
    }
    if (!value.is_object()) {
        return;
    }
    for (const auto& [key, child] : value.items()) {
        const std::string child_path = path.empty() ? key : path + "." + key;
        paths.insert(child_path);
        walk_instance(child, child_path, paths);
    }
}

}  // namespace

std::set<std::string> instance_key_paths(const nlohmann::json& document) {
    std::set<std::string> paths;
    walk_instance(document, "", paths);
    return paths;
}

nlohmann::json read_json_file(const std::filesystem::path& file) {
    std::ifstream stream(file);
    if (!stream) {
        throw std::runtime_error("cannot read " + file.string());
    }
    std::ostringstream text;
    text << stream.rdbuf();
    return nlohmann::json::parse(text.str());
}

std::set<std::string> schema_key_paths(const nlohmann::json& schema) {
    std::set<std::string> paths;
    walk(schema, schema, "", paths);
    return paths;
}

std::set<std::string> definition_keys(const nlohmann::json& schema, const std::string& name) {
    std::set<std::string> keys;
    for (const auto& [key, value] : schema.at("definitions").at(name).at("properties").items()) {
        keys.insert(key);
    }
    return keys;
}

std::string without_indices(const std::string& json_path) {
    static const std::regex index(R"(\[[0-9]+\])");
    return std::regex_replace(json_path, index, "[]");
}

std::string missing_from(const std::set<std::string>& left, const std::set<std::string>& right) {
    std::string text;
    for (const auto& key : left) {
        if (right.count(key) == 0) {
            text += key + "\n";
        }
    }
    return text;
}

SchemaCoverage schema_coverage(const nlohmann::json& schema, const nlohmann::json& fixture) {
    return {schema_key_paths(schema), instance_key_paths(fixture)};
}

}  // namespace mdp::test
