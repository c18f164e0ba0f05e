// MDP_* environment variables: the contract names, the general rule, and errors that name
// the variable.

#include "config/config_loader.hpp"

#include <catch2/catch.hpp>

using mdp::config::parse_host_config;

TEST_CASE("the compatibility variables override their config keys", "[config][env]") {
    // Every value differs from the key's default and from the file's value, so each check
    // fails if its variable is ignored.
    const auto config = parse_host_config(R"({"backpressure": {"high_watermark_pct": 0.9}})", "/etc/mdp/c.json",
                                          {{"MDP_METRICS_ENABLE", "false"},
                                           {"MDP_FB_ENABLE_FEEDBACK", "false"},
                                           {"MDP_FB_SCALE_OK", "0.9"},
                                           {"MDP_FB_SCALE_SOFT", "0.25"},
                                           {"MDP_FB_SCALE_HARD", "0.1"},
                                           {"MDP_HIGH_WATERMARK_PCT", "0.7"},
                                           {"MDP_LOW_WATERMARK_PCT", "0.3"},
                                           {"MDP_LOG_LEVEL", "debug"},
                                           {"MDP_LOG_FORMAT", "json"},
                                           {"MDP_HTTP_PORT", "9100"},
                                           {"MDP_HTTP_BIND_ADDRESS", "127.0.0.1"},
                                           {"MDP_ADMIN_TOKEN", "an-admin-token-of-enough-length"},
                                           {"MDP_QUEUE_CAPACITY", "2500"},
                                           {"MDP_OVERFLOW_POLICY", "drop_newest"},
                                           {"MDP_ALLOW_INSECURE_PLUGINS", "1"}});
    CHECK_FALSE(config.http.metrics_enabled);
    CHECK_FALSE(config.backpressure.feedback_enabled);
    CHECK(config.backpressure.scales.ok == 0.9);
    CHECK(config.backpressure.scales.soft == 0.25);
    CHECK(config.backpressure.scales.hard == 0.1);
    CHECK(config.backpressure.high_watermark_pct == 0.7);
    CHECK(config.backpressure.low_watermark_pct == 0.3);
    CHECK(config.logging.level == "debug");
    CHECK(config.logging.format == "json");
    CHECK(config.http.port == 9100);
    CHECK(config.http.bind_address == "127.0.0.1");
    CHECK(config.http.admin_token == "an-admin-token-of-enough-length");
    CHECK(config.store.queue_capacity == 2500);
    CHECK(config.store.overflow_policy == mdp::config::OverflowPolicy::drop_newest);
    CHECK(config.allow_insecure_plugin_permissions);
}

TEST_CASE("MDP_FB_ENABLE_FEEDBACK=0 reads as false (the original's boolean style)", "[config][env]") {
    // "0" parses as the JSON number 0, which is not a boolean: it must still be accepted.
    const auto config = parse_host_config("{}", "c.json", {{"MDP_FB_ENABLE_FEEDBACK", "0"}});
    CHECK_FALSE(config.backpressure.feedback_enabled);
    CHECK(parse_host_config("{}", "c.json", {{"MDP_FB_ENABLE_FEEDBACK", "1"}}).backpressure.feedback_enabled);
}

TEST_CASE("the general rule MDP__SECTION__KEY reaches any key", "[config][env]") {
    const auto config = parse_host_config("{}", "c.json",
                                          {{"MDP__STORE__QUEUE_CAPACITY", "20000"},
                                           {"MDP__STORE__OVERFLOW_POLICY", "drop_oldest"},
                                           {"MDP__BACKPRESSURE__SCALE__SOFT", "0.6"}});
    CHECK(config.store.queue_capacity == 20000);
    CHECK(config.store.overflow_policy == mdp::config::OverflowPolicy::drop_oldest);
    CHECK(config.backpressure.scales.soft == 0.6);
}

TEST_CASE("a bad override names the variable and the key", "[config][env]") {
    try {
        parse_host_config("{}", "c.json", {{"MDP_HTTP_PORT", "eighty"}});
        FAIL("expected an error");
    } catch (const mdp::config::ConfigError& error) {
        CHECK_THAT(error.what(), Catch::Contains("http.port (from environment variable MDP_HTTP_PORT)") &&
                                     Catch::Contains("expected an integer"));
    }
    try {
        parse_host_config("{}", "c.json", {{"MDP__STORE__NO_SUCH_KEY", "1"}});
        FAIL("expected an error");
    } catch (const mdp::config::ConfigError& error) {
        CHECK_THAT(error.what(), Catch::Contains("store.no_such_key (from environment variable "
                                                 "MDP__STORE__NO_SUCH_KEY): unknown key"));
    }
}

TEST_CASE("legacy and foreign MDP_ variables are accepted with a notice, not an error", "[config][env]") {
    const auto config = parse_host_config(
        "{}", "c.json",
        {{"MDP_MODE", "live"}, {"MDP_FB_PROVIDER_NAME", "ibkr"}, {"MDP_PIPELINE_SERVICE_HOST", "10.0.0.1"}});
    REQUIRE(config.notices.size() == 3);
    CHECK_THAT(config.notices[0], Catch::Contains("MDP_FB_PROVIDER_NAME"));
}

TEST_CASE("variables read by other parts of mdp are neither config overrides nor notices", "[config][env]") {
    const auto config = parse_host_config(
        "{}", "c.json",
        {{"MDP_CONFIG", "mdp.json"}, {"MDP_NATS_TOKEN", "secret"}, {"MDP_PROVIDER_RUNNER", "/opt/mdp/runner"}});
    CHECK(config.notices.empty());
}

TEST_CASE("MDP_SHARD_INDEX and MDP_SHARD_COUNT set the host's shard, copied to every provider",
          "[config][env][shard]") {
    const auto config = mdp::config::parse_host_config(
        R"({"providers": [{"name": "a", "plugin": "synthetic"}, {"name": "b", "plugin": "synthetic"}]})", "c.json",
        {{"MDP_SHARD_INDEX", "2"}, {"MDP_SHARD_COUNT", "3"}});
    CHECK(config.shard == mdp::config::ShardConfig{2, 3});
    for (const auto& provider : config.providers) {
        CHECK(provider.shard == mdp::config::ShardConfig{2, 3});
    }
    CHECK(mdp::config::parse_host_config("{}", "c.json", {}).shard == mdp::config::ShardConfig{0, 1});
}

TEST_CASE("a shard index outside the count is refused, naming the key", "[config][shard]") {
    const auto error_of = [](const std::string& json, const std::map<std::string, std::string>& environment) {
        try {
            (void)mdp::config::parse_host_config(json, "c.json", environment);
        } catch (const mdp::config::ConfigError& error) {
            return std::string(error.what());
        }
        return std::string("(accepted)");
    };
    CHECK(error_of(R"({"shard": {"index": 3, "count": 3}})", {}) ==
          "c.json: shard.index: expected a shard index below count (3), found 3");
    CHECK_THAT(error_of("{}", {{"MDP_SHARD_INDEX", "1"}}),
               Catch::Contains("shard.index") && Catch::Contains("below count (1)"));
    CHECK_THAT(error_of(R"({"shard": {"count": 0}})", {}),
               Catch::StartsWith("c.json: shard.count: expected an integer from 1"));
}
