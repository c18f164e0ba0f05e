// docs/config.schema.json is what editors validate mdp configs with; the loader is what the
// host accepts. They must agree key for key: every key the loader (and each sink type's
// reader) asks for is in the schema, and the schema allows nothing the loader rejects.
// The loader's keys come from listening to the reads themselves (ConfigKeyListener), so a key
// added to a reader without the schema fails here, with no list to keep by hand.
#include "config/config_loader.hpp"
#include "json_schema_keys.hpp"
#include "sinks/sink_registry.hpp"

#include <catch2/catch.hpp>

namespace {

using mdp::test::definition_keys;
using mdp::test::missing_from;
using mdp::test::schema_key_paths;
using mdp::test::without_indices;

const nlohmann::json& host_schema() {
    static const nlohmann::json schema =
        mdp::test::read_json_file(std::filesystem::path(MDP_SOURCE_DIR) / "docs/config.schema.json");
    return schema;
}

// Loads `config_text` with a listener and returns every key path the readers asked for
// (indices removed). `after_load` runs with the loaded config while the listener still hears.
template <typename AfterLoad>
std::set<std::string> keys_read(const std::string& config_text, AfterLoad after_load) {
    std::set<std::string> keys;
    const auto config = mdp::config::parse_host_config(
        config_text, "/config/mdp.json", {}, [&keys](const std::string& path) { keys.insert(without_indices(path)); });
    after_load(config);
    return keys;
}

std::set<std::string> keys_read(const std::string& config_text) {
    return keys_read(config_text, [](const mdp::config::HostConfig&) {});
}

// The keys under `prefix` ("store.sinks[].") with the prefix removed.
std::set<std::string> keys_under(const std::set<std::string>& keys, const std::string& prefix) {
    std::set<std::string> inside;
    for (const auto& key : keys) {
        if (key.rfind(prefix, 0) == 0) {
            inside.insert(key.substr(prefix.size()));
        }
    }
    return inside;
}

// A config that takes the loader through every section once: one provider, one sink.
const char* const kEverySection =
    R"({"providers": [{"name": "p", "plugin": "x"}], "store": {"sinks": [{"type": "null"}]}})";

}  // namespace

TEST_CASE("every host config key the loader reads is in the schema, and the schema has no other", "[config][schema]") {
    const auto loader = keys_read(kEverySection);
    const auto schema = schema_key_paths(host_schema());
    INFO("read by the loader, missing from docs/config.schema.json:\n" << missing_from(loader, schema));
    INFO("in docs/config.schema.json, never read by the loader:\n" << missing_from(schema, loader));
    CHECK(loader.size() > 40);  // the listener heard the whole loader, not one section
    CHECK(loader == schema);
}

TEST_CASE("every sink type's keys in the schema are exactly the keys its reader asks for", "[config][schema]") {
    const std::map<std::string, std::string> sinks = {
        {"null", R"({"type": "null"})"},
        {"jsonl", R"({"type": "jsonl", "path": "events.jsonl"})"},
        {"sqlite", R"({"type": "sqlite", "path": "mdp.sqlite"})"},
        {"postgres", R"({"type": "postgres"})"},
        {"nats", R"({"type": "nats"})"},
    };
    REQUIRE(sinks.size() == mdp::sinks::sink_types().size());
    for (const auto& [type, sink] : sinks) {
        const auto keys = keys_read(R"({"store": {"sinks": [)" + sink + "]}}", [](const auto& config) {
            // The factory builds the sink without opening it: no file, no connection.
            (void)mdp::sinks::create_sink(config.store.sinks.at(0));
        });
        const auto reader = keys_under(keys, "store.sinks[].");
        const auto schema = definition_keys(host_schema(), type + "_sink");
        INFO("sink type " << type << "; read, missing from the schema:\n"
                          << missing_from(reader, schema) << "in the schema, never read:\n"
                          << missing_from(schema, reader));
        CHECK(reader == schema);
    }
}

TEST_CASE("a key a reader starts to read is heard, so the schema comparison catches it", "[config][schema]") {
    // The design's proof: a reader that asks for one more key (as a new loader version would)
    // makes the comparison report exactly that key.
    const auto keys = keys_read(kEverySection, [](const mdp::config::HostConfig& config) {
        mdp::config::JsonNode provider = config.providers.at(0).config.node();
        (void)provider.get_int("fixture_only_key", 0, 10, 1);
    });
    CHECK(keys.count("providers[].config.fixture_only_key") == 1);
    CHECK(missing_from(keys, schema_key_paths(host_schema())) == "providers[].config.fixture_only_key\n");
}
