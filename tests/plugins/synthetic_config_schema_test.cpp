// plugins/synthetic/config.schema.json (what editors validate a provider's `config` with)
// and the plugin's own reader agree: a fixture that sets every key the schema names is
// accepted by the plugin, and a key outside the schema is refused by both.
// The Node test deploy.shipped_configs validates the same fixture against the schema.
#include "json_schema_keys.hpp"
#include "synthetic_config.hpp"

#include <catch2/catch.hpp>

namespace {

const std::filesystem::path kSource(MDP_SOURCE_DIR);

}  // namespace

TEST_CASE("the synthetic every-key fixture covers the schema and the plugin accepts it", "[synthetic][schema]") {
    const auto schema = mdp::test::read_json_file(kSource / "plugins/synthetic/config.schema.json");
    const auto fixture = mdp::test::read_json_file(kSource / "tests/plugins/fixtures/synthetic-every-key.config.json");
    const auto coverage = mdp::test::schema_coverage(schema, fixture);
    INFO(coverage.difference());
    CHECK(coverage.fixture_keys == coverage.schema_keys);
    const auto config = mdp::synthetic::parse_synthetic_config(fixture.dump());
    CHECK(config.threads == 2);
    CHECK(config.max_events == 1000);
}

TEST_CASE("the synthetic plugin refuses a key its schema does not name", "[synthetic][schema]") {
    auto fixture = mdp::test::read_json_file(kSource / "tests/plugins/fixtures/synthetic-every-key.config.json");
    fixture["rate_per_symbl"] = 1;
    CHECK_THROWS_WITH(mdp::synthetic::parse_synthetic_config(fixture.dump()),
                      Catch::Contains("rate_per_symbl") && Catch::Contains("unknown key"));
}
