// GET /api/v1/symbols through the router, fed by a real SymbolTracker on a made-up clock:
// filters, paging, the document's fields, and every bad query answered 400 saying why.
#include "http/request_router.hpp"
#include "pipeline/symbol_tracker.hpp"
#include "sample_snapshot.hpp"
#include "store_events.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

using mdp::http::HttpReply;
using mdp::http::RequestRouter;
using nlohmann::json;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kNow = 1'773'068'400LL * kSecond;  // Monday 9 March 2026 15:00 UTC

void seen(mdp::pipeline::SymbolTracker& tracker, std::uint32_t provider_id, const char* symbol, std::int64_t at_ns,
          double price) {
    const auto record = mdp::test::store_trade(provider_id, symbol, price);
    tracker.record(std::span(&record, 1), at_ns);
}

struct SymbolsFixture {
    mdp::pipeline::SymbolTracker tracker;
    RequestRouter router;

    SymbolsFixture() : router([] { return mdp::test::sample_snapshot(); }, options(tracker)) {
        mdp::config::FreshnessConfig rules;
        rules.stale_after_seconds = 60;
        tracker.configure(0, "alpha", rules);
        tracker.configure(1, "beta", rules);
        for (int index = 0; index < 25; ++index) {
            const std::string symbol = (index < 10 ? "S0" : "S") + std::to_string(index);
            // Even symbols traded 10 s ago (fresh), odd ones 2 minutes ago (stale).
            seen(tracker, 0, symbol.c_str(), kNow - (index % 2 == 0 ? 10 : 120) * kSecond, 100.0 + index);
        }
        seen(tracker, 1, "ESZ6", kNow - 5 * kSecond, 4500.25);
    }

    static mdp::http::RouterOptions options(const mdp::pipeline::SymbolTracker& tracker) {
        mdp::http::RouterOptions result;
        result.symbols = [&tracker](const mdp::status::SymbolQuery& query) { return tracker.query(query, kNow); };
        return result;
    }

    HttpReply get(std::string_view target) const {
        mdp::http::HttpRequestLine line;
        line.method = "GET";
        line.target = target;
        return router.handle(line);
    }

    json get_json(std::string_view target, unsigned status = 200) const {
        const HttpReply reply = get(target);
        INFO(reply.body);
        CHECK(reply.status == status);
        CHECK(reply.content_type == "application/json");
        return json::parse(reply.body);
    }
};

std::vector<std::string> symbols_of(const json& document) {
    std::vector<std::string> result;
    for (const auto& row : document["symbols"]) {
        result.push_back(row["symbol"].get<std::string>());
    }
    return result;
}

}  // namespace

TEST_CASE("/api/v1/symbols lists every symbol with its state, counts per provider, 100 a page by default",
          "[http][symbols]") {
    const SymbolsFixture fixture;
    const json all = fixture.get_json("/api/v1/symbols");
    CHECK(all["total"] == 26);
    CHECK(all["offset"] == 0);
    CHECK(all["limit"] == 100);
    CHECK(all["now_ns"] == kNow);
    REQUIRE(all["symbols"].size() == 26);
    const json& first = all["symbols"][0];
    CHECK(first["provider"] == "alpha");
    CHECK(first["symbol"] == "S00");
    CHECK(first["state"] == "fresh");
    CHECK(first["last_event_ns"] == kNow - 10 * kSecond);
    CHECK(first["last_trade_ns"] == kNow - 10 * kSecond);
    CHECK(first["last_quote_ns"].is_null());
    CHECK(first["last_bar_ns"].is_null());
    CHECK(first["last_event_age_seconds"] == 10.0);
    CHECK(first["last_price"] == 100.0);
    CHECK(first["events_last_minute"] == 1);
    CHECK(all["symbols"][1]["state"] == "stale");
    CHECK(all["symbols"][1]["events_last_minute"] == 0);
    CHECK(all["symbols"][25]["symbol"] == "ESZ6");
    REQUIRE(all["providers"].size() == 2);
    CHECK(all["providers"][0] == json{{"provider", "alpha"},
                                      {"fresh", 13},
                                      {"stale", 12},
                                      {"closed", 0},
                                      {"untracked_events", 0},
                                      {"stale_after_seconds", 60},
                                      {"trading_hours", nullptr},
                                      {"market_open", true}});
}

TEST_CASE("/api/v1/symbols filters by provider, state and search, and pages with offset and limit", "[http][symbols]") {
    const SymbolsFixture fixture;
    const json stale = fixture.get_json("/api/v1/symbols?provider=alpha&state=stale&limit=3");
    CHECK(stale["total"] == 12);
    CHECK(symbols_of(stale) == std::vector<std::string>{"S01", "S03", "S05"});
    const json next = fixture.get_json("/api/v1/symbols?provider=alpha&state=stale&limit=3&offset=3");
    CHECK(symbols_of(next) == std::vector<std::string>{"S07", "S09", "S11"});
    const json last = fixture.get_json("/api/v1/symbols?provider=alpha&state=stale&offset=11");
    CHECK(symbols_of(last) == std::vector<std::string>{"S23"});
    const json beyond = fixture.get_json("/api/v1/symbols?state=stale&offset=500");
    CHECK(beyond["total"] == 12);
    CHECK(beyond["symbols"].empty());
    const json beta = fixture.get_json("/api/v1/symbols?provider=beta");
    CHECK(symbols_of(beta) == std::vector<std::string>{"ESZ6"});
    CHECK(beta["providers"].size() == 2);  // counts stay for every provider
    const json search = fixture.get_json("/api/v1/symbols?search=s1");
    CHECK(search["total"] == 10);
    const json encoded = fixture.get_json("/api/v1/symbols?search=%45%53Z&state=fresh");
    CHECK(symbols_of(encoded) == std::vector<std::string>{"ESZ6"});
    CHECK(fixture.get_json("/api/v1/symbols?state=closed")["total"] == 0);
}

TEST_CASE("/api/v1/symbols answers a bad query with 400 naming the parameter and what it expects", "[http][symbols]") {
    const SymbolsFixture fixture;
    const auto error_of = [&fixture](std::string_view target) {
        return fixture.get_json(target, 400)["error"].get<std::string>();
    };
    CHECK(error_of("/api/v1/symbols?state=dead") ==
          "GET /api/v1/symbols: state: expected fresh, stale or closed, found \"dead\"");
    CHECK(error_of("/api/v1/symbols?limit=0") ==
          "GET /api/v1/symbols: limit: expected a whole number from 1 to 1000, found \"0\"");
    CHECK(error_of("/api/v1/symbols?limit=1001") ==
          "GET /api/v1/symbols: limit: expected a whole number from 1 to 1000, found \"1001\"");
    CHECK(error_of("/api/v1/symbols?offset=-1") ==
          "GET /api/v1/symbols: offset: expected a whole number >= 0, found \"-1\"");
    CHECK(error_of("/api/v1/symbols?offset=2x") ==
          "GET /api/v1/symbols: offset: expected a whole number >= 0, found \"2x\"");
    CHECK(error_of("/api/v1/symbols?sort=symbol") ==
          "GET /api/v1/symbols: unknown query parameter \"sort\"; expected provider, state, search, offset or limit");
    CHECK(error_of("/api/v1/symbols?state=stale&state=fresh") ==
          "GET /api/v1/symbols: query parameter \"state\" given twice; expected it once");
    CHECK(error_of("/api/v1/symbols?search=%zz") ==
          "GET /api/v1/symbols: malformed percent-encoding in \"search=%zz\"");
    CHECK(error_of("/api/v1/symbols?provider=gamma") ==
          "GET /api/v1/symbols: provider: no tracked provider is named \"gamma\"; tracked: [\"alpha\",\"beta\"]");
}

TEST_CASE("/api/v1/symbols is GET and HEAD only, and absent without a symbol source", "[http][symbols]") {
    const SymbolsFixture fixture;
    mdp::http::HttpRequestLine post;
    post.method = "POST";
    post.target = "/api/v1/symbols";
    CHECK(fixture.router.handle(post).status == 405);
    const RequestRouter without([] { return mdp::test::sample_snapshot(); }, mdp::http::RouterOptions{});
    mdp::http::HttpRequestLine get;
    get.method = "GET";
    get.target = "/api/v1/symbols";
    CHECK(without.handle(get).status == 404);
}
