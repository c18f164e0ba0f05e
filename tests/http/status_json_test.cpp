// The JSON status document: complete, and valid JSON whatever bytes plugins supply.
#include "http/readiness.hpp"
#include "http/status_json.hpp"
#include "sample_snapshot.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "common/utf8.hpp"

using nlohmann::json;

namespace {

json render(const mdp::status::HostSnapshot& snapshot) {
    const std::string text =
        mdp::http::dump_json(mdp::http::status_to_json(snapshot, mdp::http::evaluate_readiness(snapshot)));
    REQUIRE(mdp::common::is_valid_utf8(text));
    return json::parse(text);  // throws on invalid JSON
}

}  // namespace

TEST_CASE("plugin strings with quotes, newlines, markup and invalid UTF-8 give valid JSON", "[http][status-json]") {
    auto snapshot = mdp::test::sample_snapshot();
    snapshot.providers[0].name = "name \"quoted\"\nnext line";
    snapshot.providers[0].plugin_version = "\xFF\xFE";
    snapshot.sinks[0].last_error = "tab\there \x01 control";
    const json status = render(snapshot);

    const json& ibkr = status["providers"][1];
    CHECK(ibkr["name"] == "ibkr");
    const std::string detail = ibkr["detail"];
    CHECK(detail.find("quote \" backslash \\ newline \n <script>") != std::string::npos);
    CHECK(detail.find("bad utf8 \xEF\xBF\xBD( end") != std::string::npos);  // replaced, not dropped
    CHECK(status["providers"][0]["name"] == "name \"quoted\"\nnext line");
    CHECK(status["providers"][0]["plugin_version"] == "\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(status["sinks"][0]["last_error"] == "tab\there \x01 control");
}

TEST_CASE("the status document carries host, queue, providers, sinks and feedback", "[http][status-json]") {
    const auto snapshot = mdp::test::sample_snapshot();
    const json status = render(snapshot);

    CHECK(status["version"] == "0.1.0");
    CHECK(status["abi_version"] == "1.1.0");
    CHECK(status["run_id"] == "5f3a9c0e12ab34cd");
    CHECK(status["uptime_seconds"] == 3600.0);
    CHECK(status["ready"] == false);
    CHECK(status["not_ready_reasons"].size() == 1);
    CHECK(status["shutting_down"] == false);

    const json& queue = status["queue"];
    CHECK(queue["coordinator_id"] == "store_coordinator");
    CHECK(queue["depth"] == 6500);
    CHECK(queue["capacity"] == 10000);
    CHECK(queue["utilization"] == 0.65);
    CHECK(queue["low_watermark"] == 5000);
    CHECK(queue["high_watermark"] == 8000);
    CHECK(queue["level"] == "soft");
    CHECK(queue["overflow_policy"] == "block");

    REQUIRE(status["providers"].size() == 3);
    const json& synthetic = status["providers"][0];
    CHECK(synthetic["plugin_id"] == "synthetic");
    CHECK(synthetic["plugin_version"] == "1.2.3");
    CHECK(synthetic["abi_version"] == "1.1.0");
    CHECK(synthetic["state"] == "running");
    CHECK(synthetic["rate_scale"] == 0.5);
    CHECK(synthetic["level"] == "soft");
    CHECK(synthetic["level_value"] == 1);
    CHECK(synthetic["events_per_second"] == 150.5);
    CHECK(synthetic["published_total"] == 1520);
    CHECK(synthetic["published_by_type"]["trade"] == 500);
    CHECK(synthetic["dropped_total"] == 3);
    CHECK(synthetic["feedback_by_level"]["hard"] == 1);
    CHECK(synthetic["uptime_seconds"] == 3599.0);
    CHECK(status["providers"][2]["uptime_seconds"] == 0.0);  // never started
    CHECK(status["providers"][2]["required"] == true);

    REQUIRE(status["sinks"].size() == 3);
    CHECK(status["sinks"][0]["name"] == "main");
    CHECK(status["sinks"][0]["events_stored"] == 123456);
    CHECK(status["sinks"][0]["write_errors"] == 2);
    CHECK(status["sinks"][0]["last_write_seconds"] == 0.0042);
    CHECK(status["sinks"][0]["write_duration_seconds"]["count"] == 31);
    CHECK(status["sinks"][0]["rows_by_table"]["trades"] == 23000);
    CHECK(status["sinks"][0]["errors_by_kind"]["locked"] == 2);
    CHECK(status["sinks"][0]["circuit_state"] == "");
    CHECK(status["sinks"][2]["circuit_state"] == "half_open");
    CHECK(status["sinks"][2]["errors_by_kind"]["circuit_open"] == 12);
    CHECK(status["sinks"][1]["rows_by_table"].empty());

    REQUIRE(status["recent_feedback"].size() == 3);
    CHECK(status["recent_feedback"][1]["level"] == "hard");
    CHECK(status["recent_feedback"][1]["queue_size"] == 8000);
    CHECK(status["recent_feedback"][1]["utilization"] == 0.8);
    CHECK(status["event_latency_seconds"]["count"] == 51);
}

TEST_CASE("NaN and infinite numbers become null rather than invalid JSON", "[http][status-json]") {
    auto snapshot = mdp::test::sample_snapshot();
    snapshot.providers[0].rate_scale = std::numeric_limits<double>::quiet_NaN();
    snapshot.providers[0].events_per_second = std::numeric_limits<double>::infinity();
    const json status = render(snapshot);
    CHECK(status["providers"][0]["rate_scale"].is_null());
    CHECK(status["providers"][0]["events_per_second"].is_null());
}

TEST_CASE("a provider's bars: its intervals, source and ignored ticks, null when the host builds none",
          "[http][status-json][bars]") {
    auto snapshot = mdp::test::sample_snapshot();
    snapshot.providers[0].bar_intervals = {"1s", "5m"};
    snapshot.providers[0].bar_source = "quotes_mid";
    snapshot.providers[0].bar_ticks_ignored = {{"late", 2}, {"unpriced", 1}};
    const json status = render(snapshot);
    CHECK(
        status["providers"][0]["bars"] ==
        json({{"intervals", {"1s", "5m"}}, {"from", "quotes_mid"}, {"ticks_ignored", {{"late", 2}, {"unpriced", 1}}}}));
    CHECK(status["providers"][1]["bars"].is_null());
}
