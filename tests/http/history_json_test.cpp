// GET /api/v1/history: the chart data as column-wise JSON, missing rates as null, small
// enough to fetch every few seconds; the route exists only where the server has a history.
#include "http/history_json.hpp"
#include "http/request_router.hpp"
#include "http/status_json.hpp"
#include "sample_snapshot.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <limits>

using nlohmann::json;

namespace {

json render(const mdp::status::HistorySnapshot& history) {
    return json::parse(mdp::http::dump_json(mdp::http::history_to_json(history)));
}

mdp::http::HttpRequestLine get(std::string_view target) {
    mdp::http::HttpRequestLine line;
    line.method = "GET";
    line.target = target;
    return line;
}

}  // namespace

TEST_CASE("the history document has the queue, one column per sample and a series per provider and sink",
          "[http][history]") {
    const json history = render(mdp::test::sample_history(4));
    CHECK(history["interval_seconds"] == 5.0);
    CHECK(history["max_samples"] == 180);
    CHECK(history["queue"] == json({{"capacity", 10000}, {"low_watermark", 5000}, {"high_watermark", 8000}}));
    CHECK(history["time_ns"].size() == 4);
    CHECK(history["queue_depth"] == json({0, 37, 74, 111}));
    CHECK(history["level_value"] == json({0, 1, 2, 0}));
    REQUIRE(history["providers"].size() == 2);
    CHECK(history["providers"][0]["name"] == "synthetic");
    CHECK(history["providers"][1]["name"] == mdp::test::kHostileName);
    CHECK(history["providers"][0]["events_per_second"] == json({nullptr, 101.0, 102.0, 103.0}));
    REQUIRE(history["sinks"].size() == 1);
    CHECK(history["sinks"][0] == json({{"name", "main"}, {"stored_per_second", {nullptr, 202.0, 204.0, 206.0}}}));
}

TEST_CASE("rates are sent to 0.01 per second, a missing one as null", "[http][history]") {
    auto history = mdp::test::sample_history(3);
    history.providers[0].per_second = {std::numeric_limits<double>::quiet_NaN(), 1.0 / 3.0, 12345.678901};
    const json document = render(history);
    CHECK(document["providers"][0]["events_per_second"] == json({nullptr, 0.33, 12345.68}));
    CHECK(mdp::http::dump_json(document).find("0.33,12345.68]") != std::string::npos);
}

TEST_CASE("a full history of 10 providers and a sink stays under 26 kB", "[http][history]") {
    auto history = mdp::test::sample_history(180, 8);
    for (auto& series : history.providers) {
        series.name += "-a-longer-instance-name";
        for (double& rate : series.per_second) {
            rate = 12345.67;  // five digits and two decimals: wider than most rates
        }
    }
    for (auto& depth : history.queue_depth) {
        depth = 10000;
    }
    const std::string text = mdp::http::dump_json(mdp::http::history_to_json(history));
    INFO("bytes: " << text.size());
    CHECK(text.size() < std::size_t{26} * 1024);
}

TEST_CASE("GET /api/v1/history answers from the history source, 404 without one", "[http][history][router]") {
    mdp::http::RouterOptions options;
    const mdp::http::RequestRouter without([] { return mdp::test::sample_snapshot(); }, options);
    CHECK(without.handle(get("/api/v1/history")).status == 404);

    options.history = [] { return mdp::test::sample_history(2); };
    const mdp::http::RequestRouter with([] { return mdp::test::sample_snapshot(); }, options);
    const auto reply = with.handle(get("/api/v1/history"));
    CHECK(reply.status == 200);
    CHECK(reply.content_type == "application/json");
    CHECK(json::parse(reply.body)["time_ns"].size() == 2);
    mdp::http::HttpRequestLine post = get("/api/v1/history");
    post.method = "POST";
    CHECK(with.handle(post).status == 405);
}
