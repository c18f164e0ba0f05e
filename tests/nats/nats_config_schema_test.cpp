// plugins/nats/config.schema.json (what editors validate a provider's `config` with) and the
// plugin's own reader agree: a fixture that sets every key the schema names is accepted by
// the plugin, and a key outside the schema is refused by both. The Node test
// deploy.shipped_configs validates the same fixture against the schema.
#include "consumer_config.hpp"
#include "json_schema_keys.hpp"
#include "recording_host.hpp"

#include <catch2/catch.hpp>

namespace {

const std::filesystem::path kSource(MDP_SOURCE_DIR);

mdp::nats_provider::ConsumerConfig parse(const nlohmann::json& config) {
    const mdp::test::RecordingHost host;
    return mdp::nats_provider::parse_consumer_config(config.dump(), mdp::sdk::Host(host.table()), {});
}

}  // namespace

TEST_CASE("the nats every-key fixture covers the schema and the plugin accepts it", "[nats][schema]") {
    const auto schema = mdp::test::read_json_file(kSource / "plugins/nats/config.schema.json");
    const auto fixture = mdp::test::read_json_file(kSource / "tests/nats/fixtures/nats-every-key.config.json");
    const auto coverage = mdp::test::schema_coverage(schema, fixture);
    INFO(coverage.difference());
    CHECK(coverage.fixture_keys == coverage.schema_keys);
    const auto config = parse(fixture);
    CHECK(config.max_ack_pending == 2048);
    CHECK(config.servers.size() == 2);
}

TEST_CASE("the nats plugin refuses a key its schema does not name", "[nats][schema]") {
    auto fixture = mdp::test::read_json_file(kSource / "tests/nats/fixtures/nats-every-key.config.json");
    fixture["ack_wiat_ms"] = 1;
    CHECK_THROWS_WITH(parse(fixture), Catch::Contains("ack_wiat_ms") && Catch::Contains("unknown key"));
}
