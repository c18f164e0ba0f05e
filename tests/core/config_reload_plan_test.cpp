// Reload planning and reload request handling, without a host: which settings cannot change
// live (named by JSON path), what happens to each provider, that a reload requested while
// another is pending or running is refused (409) instead of queued, and when each request's
// completion runs.

#include "app/config_reload.hpp"
#include "app/reload_requests.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <vector>

using mdp::app::ProviderChangeKind;

namespace {

mdp::config::ProviderConfig provider(const std::string& name, nlohmann::json config = nlohmann::json::object()) {
    mdp::config::ProviderConfig entry;
    entry.name = name;
    entry.plugin = "synthetic";
    entry.config.value = std::move(config);
    entry.config.path = "providers[0].config";
    return entry;
}

ProviderChangeKind kind_of(const mdp::app::ReloadPlan& plan, const std::string& name) {
    for (const auto& change : plan.providers) {
        if (change.name == name) {
            return change.kind;
        }
    }
    FAIL("no change for " << name);
    return ProviderChangeKind::unchanged;
}

}  // namespace

TEST_CASE("a reload plan names every setting that cannot change live", "[core][reload]") {
    mdp::config::HostConfig running;
    mdp::config::HostConfig next = running;
    CHECK(mdp::app::plan_reload(running, next).not_live.empty());
    next.store.queue_capacity = 20000;
    next.http.port = 9000;
    next.backpressure.min_dwell_ms = 5;
    next.store.sinks.push_back({"extra", "null", {}});
    next.logging.level = "debug";
    CHECK(mdp::app::plan_reload(running, next).not_live ==
          std::vector<std::string>{"store.queue_capacity", "store.sinks", "backpressure.min_dwell_ms", "http.port",
                                   "logging.level"});
}

TEST_CASE("a reload plan refuses a new shard split: providers built their subscriptions on it",
          "[core][reload][shard]") {
    mdp::config::HostConfig running;
    mdp::config::HostConfig next = running;
    next.shard = {1, 3};
    CHECK(mdp::app::plan_reload(running, next).not_live == std::vector<std::string>{"shard"});
}

TEST_CASE("a reload plan sorts providers into unchanged, changed, added and removed", "[core][reload]") {
    mdp::config::HostConfig running;
    running.providers = {provider("same", {{"rate", 1}}), provider("edited", {{"rate", 1}}), provider("gone")};
    mdp::config::HostConfig next;
    next.providers = {provider("same", {{"rate", 1}}), provider("edited", {{"rate", 2}}), provider("new")};
    const auto plan = mdp::app::plan_reload(running, next);
    CHECK(plan.not_live.empty());
    CHECK(kind_of(plan, "same") == ProviderChangeKind::unchanged);
    CHECK(kind_of(plan, "edited") == ProviderChangeKind::changed);
    CHECK(kind_of(plan, "gone") == ProviderChangeKind::removed);
    CHECK(kind_of(plan, "new") == ProviderChangeKind::added);

    next.providers[0].scale_soft = 0.8;  // rate_scale is not live
    CHECK(mdp::app::plan_reload(running, next).not_live == std::vector<std::string>{"providers[0].rate_scale"});
}

namespace {

// The completions a test hands out, and what each received.
struct Outcomes {
    std::vector<std::optional<mdp::status::ControlResult>> results;

    mdp::status::ControlCompletion next() {
        results.emplace_back();
        return [this, index = results.size() - 1](mdp::status::ControlResult result) {
            CHECK_FALSE(results.at(index));  // exactly once
            results.at(index) = std::move(result);
        };
    }
};

}  // namespace

TEST_CASE("a reload requested while one is pending or running is refused with 409 at once", "[core][reload]") {
    mdp::app::ReloadRequests requests;
    int wakes = 0;
    requests.wake_with([&] { ++wakes; });
    Outcomes outcomes;
    requests.request("first", outcomes.next());
    CHECK(wakes == 1);
    CHECK_FALSE(outcomes.results[0]);  // nobody waits: it returned before any outcome

    // Refused while pending: the completion runs before request() returns.
    requests.request("second", outcomes.next());
    REQUIRE(outcomes.results[1]);
    CHECK(outcomes.results[1]->http_status == 409);
    CHECK(wakes == 1);

    // The control thread side: it takes the request and runs the reload.
    REQUIRE(requests.take() == std::optional<std::string>("first"));
    requests.request("third", outcomes.next());
    REQUIRE(outcomes.results[2]);
    CHECK(outcomes.results[2]->http_status == 409);
    CHECK_THAT(outcomes.results[2]->message, Catch::Contains("already running"));
    CHECK_FALSE(requests.request("SIGHUP"));

    requests.finish({200, "applied"});
    REQUIRE(outcomes.results[0]);
    CHECK(outcomes.results[0]->http_status == 200);
    CHECK(outcomes.results[0]->message == "applied");
    // Idle again: the next one is accepted.
    CHECK(requests.request("SIGHUP"));
    CHECK(requests.take() == std::optional<std::string>("SIGHUP"));
    requests.finish({200, "applied"});
}

TEST_CASE("at shutdown a pending reload and every later one are answered 409", "[core][reload]") {
    mdp::app::ReloadRequests requests;
    Outcomes outcomes;
    requests.request("pending", outcomes.next());
    CHECK_FALSE(outcomes.results[0]);
    requests.reject_all("the host is shutting down");
    REQUIRE(outcomes.results[0]);
    CHECK(outcomes.results[0]->http_status == 409);
    CHECK(outcomes.results[0]->message == "the host is shutting down");
    CHECK_FALSE(requests.take());  // rejected, never run

    requests.request("late", outcomes.next());
    REQUIRE(outcomes.results[1]);
    CHECK(outcomes.results[1]->http_status == 409);
    CHECK_FALSE(requests.request("SIGHUP"));
}
