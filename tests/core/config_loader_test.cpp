// Config loading: defaults, every kind of bad input answered with file + location + expectation.

#include "config/bar_interval.hpp"
#include "config/config_loader.hpp"

#include <catch2/catch.hpp>

using mdp::config::ConfigError;
using mdp::config::parse_host_config;

namespace {

std::string error_of(const std::string& text, const std::map<std::string, std::string>& environment = {}) {
    try {
        parse_host_config(text, "/etc/mdp/test.json", environment);
    } catch (const ConfigError& error) {
        return error.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("an empty object gives the documented defaults", "[config]") {
    const auto config = parse_host_config("{}", "/etc/mdp/test.json", {});
    CHECK(config.store.queue_capacity == 10000);
    CHECK(config.store.batch_size == 500);
    CHECK(config.store.flush_interval_ms == 250);
    CHECK(config.store.coalesce_wait_us == 0);
    CHECK(config.store.overflow_policy == mdp::config::OverflowPolicy::block);
    CHECK(config.backpressure.low_watermark_pct == 0.5);
    CHECK(config.backpressure.high_watermark_pct == 0.8);
    CHECK(config.backpressure.scales.hard == 0.0);
    CHECK(config.http.port == 8000);
    CHECK(config.http.metrics_enabled);
    CHECK(config.providers.empty());
}

TEST_CASE("relative plugin paths resolve against the config file's directory", "[config]") {
    const auto config = parse_host_config(R"({"plugin_path": ["plugins", "/opt/mdp"]})", "/etc/mdp/test.json", {});
    REQUIRE(config.plugin_path.size() == 2);
    CHECK(config.plugin_path[0] == "/etc/mdp/plugins");
    CHECK(config.plugin_path[1] == "/opt/mdp");
}

TEST_CASE("malformed JSON names the file, line and column", "[config]") {
    const auto message = error_of("{\n  \"store\": {\n    \"queue_capacity\": 10,,\n  }\n}");
    CHECK_THAT(message, Catch::Contains("/etc/mdp/test.json: line 3, column"));
    CHECK_THAT(message, Catch::Contains("invalid JSON"));
}

TEST_CASE("a wrong type names the JSON path and what was expected", "[config]") {
    CHECK_THAT(
        error_of(R"({"store": {"queue_capacity": "big"}})"),
        Catch::Contains("store.queue_capacity: expected an integer from 1 to") && Catch::Contains(R"(found "big")"));
    CHECK_THAT(error_of(R"({"http": {"port": 70000}})"),
               Catch::Contains("http.port: expected an integer from 0 to 65535, found 70000"));
    CHECK_THAT(error_of(R"({"providers": [{"name": "a", "plugin": "x"}, {"name": "b", "plugin": 5}]})"),
               Catch::Contains("providers[1].plugin: expected a string, found 5"));
}

TEST_CASE("an unknown key is rejected with the keys that are allowed", "[config]") {
    CHECK_THAT(error_of(R"({"store": {"queue_capacty": 5}})"),
               Catch::Contains("store.queue_capacty: unknown key; expected one of") &&
                   Catch::Contains(R"((did you mean "queue_capacity"?))"));
    CHECK_THAT(error_of(R"({"providers": [{"name": "a", "plugin": "x", "enable": true}]})"),
               Catch::Contains("providers[0].enable: unknown key"));
}

TEST_CASE("enumerations list their allowed values", "[config]") {
    CHECK_THAT(error_of(R"({"store": {"overflow_policy": "drop_random"}})"),
               Catch::Contains("store.overflow_policy: expected one of \"block\", \"drop_oldest\", \"drop_newest\""));
}

TEST_CASE("cross-field rules are checked", "[config]") {
    CHECK_THAT(error_of(R"({"backpressure": {"low_watermark_pct": 0.9, "high_watermark_pct": 0.8}})"),
               Catch::Contains("backpressure.low_watermark_pct: expected less than high_watermark_pct"));
    CHECK_THAT(error_of(R"({"store": {"queue_capacity": 100, "batch_size": 500}})"),
               Catch::Contains("store.batch_size: expected at most queue_capacity (100)"));
    CHECK_THAT(error_of(R"({"store": {"flush_interval_ms": 10, "coalesce_wait_us": 10001}})"),
               Catch::Contains("store.coalesce_wait_us: expected at most flush_interval_ms * 1000 (10000)"));
    CHECK_THAT(error_of(R"({"providers": [{"name": "a", "plugin": "x"}, {"name": "a", "plugin": "y"}]})"),
               Catch::Contains("providers[1].name: duplicate provider name \"a\""));
}

TEST_CASE("the coalescing wait is read in microseconds, up to the flush interval", "[config]") {
    const auto config =
        parse_host_config(R"({"store": {"flush_interval_ms": 250, "coalesce_wait_us": 250000}})", "test.json", {});
    CHECK(config.store.coalesce_wait_us == 250000);
    const auto from_environment = parse_host_config("{}", "test.json", {{"MDP__STORE__COALESCE_WAIT_US", "150"}});
    CHECK(from_environment.store.coalesce_wait_us == 150);
    CHECK_THAT(error_of(R"({"store": {"coalesce_wait_us": -1}})"),
               Catch::Contains("store.coalesce_wait_us: expected an integer from 0 to 600000000"));
}

TEST_CASE("providers keep their config object and overrides", "[config]") {
    const auto config = parse_host_config(
        R"({"providers": [{"name": "ibkr", "plugin": "ibkr", "required": true,
            "config": {"port": 4002}, "rate_scale": {"soft": 0.8}}]})",
        "/etc/mdp/test.json", {});
    REQUIRE(config.providers.size() == 1);
    const auto& provider = config.providers[0];
    CHECK(provider.required);
    CHECK(provider.enabled);
    CHECK(provider.config.value["port"] == 4002);
    CHECK(provider.config.path == "providers[0].config");
    CHECK(provider.scale_soft == 0.8);
    CHECK_FALSE(provider.scale_hard.has_value());
}

TEST_CASE("a missing config file is a clear error", "[config]") {
    try {
        mdp::config::load_host_config("/nonexistent/mdp.json", {});
        FAIL("expected an error");
    } catch (const ConfigError& error) {
        CHECK_THAT(error.what(), Catch::Contains("/nonexistent/mdp.json: cannot read the config file"));
    }
}

TEST_CASE("isolation and limits are read per provider, and a bad value names its JSON path", "[config]") {
    const auto config = parse_host_config(
        R"({"providers": [{"name": "boxed", "plugin": "x", "isolation": "process",
            "limits": {"memory_mb": 256, "nice": 5}},
            {"name": "plain", "plugin": "x"}]})",
        "/etc/mdp/test.json", {});
    REQUIRE(config.providers.size() == 2);
    CHECK(config.providers[0].isolation == mdp::config::Isolation::process);
    CHECK(config.providers[0].limits.memory_bytes == 256ULL * 1024 * 1024);
    CHECK(config.providers[0].limits.nice == 5);
    CHECK(config.providers[1].isolation == mdp::config::Isolation::in_process);
    CHECK(config.providers[1].limits.memory_bytes == 0);
    CHECK_THAT(error_of(R"({"providers": [{"name": "a", "plugin": "x", "isolation": "sandbox"}]})"),
               Catch::Contains("/etc/mdp/test.json") && Catch::Contains("providers[0].isolation") &&
                   Catch::Contains("process"));
    CHECK_THAT(error_of(R"({"providers": [{"name": "a", "plugin": "x", "limits": {"memory_mb": 64}}]})"),
               Catch::Contains("providers[0].limits") && Catch::Contains("only with \"isolation\": \"process\""));
    CHECK_THAT(error_of(R"({"providers": [{"name": "a", "plugin": "x", "isolation": "process",
                   "limits": {"memory_mb": 1}}]})"),
               Catch::Contains("providers[0].limits.memory_mb: expected an integer from 16 to"));
    CHECK_THAT(error_of(R"({"providers": [{"name": "a", "plugin": "x", "isolation": "process",
                   "limits": {"cpu": 1}}]})"),
               Catch::Contains("providers[0].limits.cpu") && Catch::Contains("unknown key"));
}

TEST_CASE("freshness settings are read per provider, and a bad calendar names its JSON path", "[config]") {
    const auto config = parse_host_config(
        R"({"providers": [{"name": "us", "plugin": "x", "freshness": {"stale_after_seconds": 30,
            "trading_hours": "Mon-Fri 09:30-16:00 America/New_York", "max_symbols": 500}},
            {"name": "off", "plugin": "x", "freshness": {"enabled": false}}]})",
        "/etc/mdp/test.json", {});
    REQUIRE(config.providers.size() == 2);
    CHECK(config.providers[0].freshness.stale_after_seconds == 30);
    REQUIRE(config.providers[0].freshness.trading_hours.has_value());
    CHECK(config.providers[0].freshness.trading_hours->text() == "Mon-Fri 09:30-16:00 America/New_York");
    CHECK(config.providers[0].freshness.max_symbols == 500);
    CHECK_FALSE(config.providers[1].freshness.enabled);
    CHECK(config.providers[1].freshness.stale_after_seconds == 60);
    CHECK_FALSE(config.providers[1].freshness.trading_hours.has_value());
    CHECK_THAT(error_of(R"({"providers": [{"name": "a", "plugin": "x",
                   "freshness": {"trading_hours": "Mon-Fri 09:30-16:00 Mars/Olympus"}}]})"),
               Catch::Contains("/etc/mdp/test.json") &&
                   Catch::Contains("providers[0].freshness.trading_hours: unknown time zone \"Mars/Olympus\""));
    CHECK_THAT(error_of(R"({"providers": [{"name": "a", "plugin": "x", "freshness": {"stale_after_seconds": 0}}]})"),
               Catch::Contains("providers[0].freshness.stale_after_seconds: expected an integer from 1 to"));
    CHECK_THAT(error_of(R"({"providers": [{"name": "a", "plugin": "x", "freshness": {"stale_after": 5}}]})"),
               Catch::Contains("providers[0].freshness.stale_after") && Catch::Contains("unknown key"));
}

TEST_CASE("bars settings are read per provider, and a bad interval names its JSON path", "[config][bars]") {
    const auto config = parse_host_config(
        R"({"providers": [{"name": "a", "plugin": "x", "bars": {"intervals": ["5m", "1s", "1h", "1d"]}},
            {"name": "b", "plugin": "x", "bars": {"intervals": ["90s"], "from": "quotes_mid", "grace_ms": 0}},
            {"name": "c", "plugin": "x"}]})",
        "/etc/mdp/test.json", {});
    REQUIRE(config.providers.size() == 3);
    constexpr std::int64_t kSecond = 1'000'000'000;
    const auto& a = config.providers[0].bars;
    CHECK(a.intervals_ns == std::vector<std::int64_t>{kSecond, 300 * kSecond, 3600 * kSecond, 86400 * kSecond});
    CHECK(a.source == mdp::config::BarSource::trades);
    CHECK(a.grace_ms == 1000);
    const auto& b = config.providers[1].bars;
    CHECK(b.intervals_ns == std::vector<std::int64_t>{90 * kSecond});
    CHECK(b.source == mdp::config::BarSource::quotes_mid);
    CHECK(b.grace_ms == 0);
    CHECK_FALSE(config.providers[2].bars.enabled());

    const auto bars_error = [](const std::string& bars) {
        return error_of(R"({"providers": [{"name": "a", "plugin": "x", "bars": )" + bars + "}]}");
    };
    for (const char* bad : {"7m", "0s", "1w", "1.5m", "m", "-1s", "25h", "2d", " 1s", "1S", "01s"}) {
        INFO(bad);
        CHECK_THAT(bars_error(std::string(R"({"intervals": ["1s", ")") + bad + "\"]}"),
                   Catch::Contains("/etc/mdp/test.json: providers[0].bars.intervals[1]: expected an interval like") &&
                       Catch::Contains(std::string("found \"") + bad + "\""));
    }
    CHECK_THAT(
        bars_error(R"({"intervals": ["1m", "60s"]})"),
        Catch::Contains("providers[0].bars.intervals[1]: duplicate interval \"60s\" (the same as intervals[0])"));
    CHECK_THAT(bars_error(R"({"intervals": ["1m", 5]})"),
               Catch::Contains("providers[0].bars.intervals[1]: expected a string, found 5"));
    CHECK_THAT(bars_error(R"({"intervals": ["1m"], "from": "quotes"})"),
               Catch::Contains("providers[0].bars.from") && Catch::Contains("trades") && Catch::Contains("quotes_mid"));
    CHECK_THAT(bars_error(R"({"intervals": ["1m"], "grace_ms": 60001})"),
               Catch::Contains("providers[0].bars.grace_ms: expected an integer from 0 to 60000"));
    CHECK_THAT(bars_error(R"({"interval": ["1m"]})"), Catch::Contains("providers[0].bars.interval") &&
                                                          Catch::Contains("did you mean") &&
                                                          Catch::Contains("intervals"));
}

TEST_CASE("bar intervals print in their largest whole unit", "[config][bars]") {
    using mdp::config::bar_interval_text;
    using mdp::config::parse_bar_interval_ns;
    for (const char* text : {"1s", "90s", "5m", "1h", "12h", "1d"}) {
        const auto interval_ns = parse_bar_interval_ns(text);
        REQUIRE(interval_ns.has_value());
        CHECK(bar_interval_text(*interval_ns) == text);
    }
    CHECK(bar_interval_text(*parse_bar_interval_ns("60s")) == "1m");
    CHECK(bar_interval_text(*parse_bar_interval_ns("24h")) == "1d");
}
