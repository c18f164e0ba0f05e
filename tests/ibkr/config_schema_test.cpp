// plugins/ibkr/config.schema.json (what editors validate a provider's `config` with) and the
// plugin's own reader agree: a fixture that sets every key the schema names (top level,
// reconnect, real_time_bars, a contract object) is accepted by the plugin, and a key outside
// the schema is refused at every level. The Node test deploy.shipped_configs validates the
// same fixture against the schema.
#include "config/ibkr_config.hpp"
#include "json_schema_keys.hpp"

#include <catch2/catch.hpp>

namespace {

const std::filesystem::path kSource(MDP_SOURCE_DIR);

nlohmann::json fixture() {
    return mdp::test::read_json_file(kSource / "tests/ibkr/fixtures/ibkr-every-key.config.json");
}

nlohmann::json schema() { return mdp::test::read_json_file(kSource / "plugins/ibkr/config.schema.json"); }

// The fixture's keys with the contract objects' keys left out (compared on their own).
std::set<std::string> top_level_keys(const nlohmann::json& document) {
    std::set<std::string> keys;
    for (const auto& key : mdp::test::instance_key_paths(document)) {
        if (key.rfind("contracts[].", 0) != 0) {
            keys.insert(key);
        }
    }
    return keys;
}

// real_time_bars is true/false or an object: the object's keys, as the fixture sets them.
std::set<std::string> schema_keys() {
    const auto document = schema();
    auto keys = mdp::test::schema_key_paths(document);
    const auto& bar_settings = document.at("properties").at("real_time_bars").at("oneOf").at(1).at("properties");
    for (const auto& [key, value] : bar_settings.items()) {
        keys.insert("real_time_bars." + key);
    }
    return keys;
}

}  // namespace

TEST_CASE("the ibkr every-key fixture covers the schema and the plugin accepts it", "[ibkr][schema]") {
    const auto document = fixture();
    const auto expected = schema_keys();
    const auto found = top_level_keys(document);
    INFO("in the schema, not in the fixture:\n"
         << mdp::test::missing_from(expected, found) << "in the fixture, not in the schema:\n"
         << mdp::test::missing_from(found, expected));
    CHECK(found == expected);

    std::set<std::string> contract_keys;
    for (const auto& [key, value] : document.at("contracts").at(1).items()) {
        contract_keys.insert(key);
    }
    const auto contract_schema = schema();
    CHECK(contract_keys == mdp::test::definition_keys(contract_schema, "contract"));

    const auto config = mdp::ibkr::parse_ibkr_config(document.dump());
    CHECK(config.contracts.size() == 2);
    CHECK(config.market_data_type == 3);
}

TEST_CASE("the ibkr plugin refuses a key its schema does not name, at every level", "[ibkr][schema]") {
    for (const auto& pointer : {"/hots", "/reconnect/jiter", "/real_time_bars/use_rht", "/contracts/1/strik"}) {
        auto document = fixture();
        document[nlohmann::json::json_pointer(pointer)] = 1;
        const std::string key = std::string(pointer).substr(std::string(pointer).rfind('/') + 1);
        INFO(pointer);
        CHECK_THROWS_WITH(mdp::ibkr::parse_ibkr_config(document.dump()), Catch::Contains(key));
    }
}
