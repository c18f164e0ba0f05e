// Readiness rules: what makes /ready answer 503, and what is only noted.
#include "http/readiness.hpp"
#include "sample_snapshot.hpp"

#include <catch2/catch.hpp>

using mdp::http::evaluate_readiness;

namespace {

bool mentions(const std::vector<std::string>& lines, const std::string& text) {
    for (const std::string& line : lines) {
        if (line.find(text) != std::string::npos) {
            return true;
        }
    }
    return false;
}

mdp::status::ProviderSnapshot& provider_named(mdp::status::HostSnapshot& snapshot, const std::string& name) {
    for (auto& provider : snapshot.providers) {
        if (provider.name == name) {
            return provider;
        }
    }
    throw std::runtime_error("no provider " + name);
}

}  // namespace

TEST_CASE("a host with running providers and healthy sinks is ready", "[http][readiness]") {
    const auto report = evaluate_readiness(mdp::test::healthy_snapshot());
    CHECK(report.ready);
    CHECK(report.reasons.empty());
}

TEST_CASE("a failed enabled provider makes the host unready, naming it and its error", "[http][readiness]") {
    auto snapshot = mdp::test::healthy_snapshot();
    auto& backup = provider_named(snapshot, "backup");
    backup.state = "failed";
    backup.last_error = "connect: connection refused";
    const auto report = evaluate_readiness(snapshot);
    CHECK_FALSE(report.ready);
    REQUIRE(report.reasons.size() == 1);
    CHECK(report.reasons[0] == "required provider 'backup' is failed: connect: connection refused");
}

TEST_CASE("a failed optional provider also makes the host unready", "[http][readiness]") {
    auto snapshot = mdp::test::healthy_snapshot();
    auto& synthetic = provider_named(snapshot, "synthetic");
    synthetic.required = false;
    synthetic.state = "failed";
    const auto report = evaluate_readiness(snapshot);
    CHECK_FALSE(report.ready);
    CHECK(mentions(report.reasons, "provider 'synthetic' is failed"));
}

TEST_CASE("providers not yet running, stopping or stopped are not ready", "[http][readiness]") {
    for (const char* state : {"loaded", "starting", "stopping", "stopped", ""}) {
        auto snapshot = mdp::test::healthy_snapshot();
        provider_named(snapshot, "synthetic").state = state;
        const auto report = evaluate_readiness(snapshot);
        INFO("state " << state);
        CHECK_FALSE(report.ready);
        CHECK(mentions(report.reasons, "provider 'synthetic' is"));
    }
}

TEST_CASE("a degraded provider counts as running and is noted", "[http][readiness]") {
    auto snapshot = mdp::test::healthy_snapshot();
    auto& ibkr = provider_named(snapshot, "ibkr");
    ibkr.state = "degraded";
    ibkr.detail = "market data farm lost";
    const auto report = evaluate_readiness(snapshot);
    CHECK(report.ready);
    CHECK(mentions(report.notes, "provider 'ibkr' is degraded: market data farm lost"));
}

TEST_CASE("disabled providers are ignored whatever their state", "[http][readiness]") {
    auto snapshot = mdp::test::healthy_snapshot();
    auto& backup = provider_named(snapshot, "backup");
    backup.enabled = false;
    backup.state = "stopped";
    CHECK(evaluate_readiness(snapshot).ready);
}

TEST_CASE("a failing sink makes the host unready with its last error", "[http][readiness]") {
    auto snapshot = mdp::test::healthy_snapshot();
    snapshot.sinks[0].healthy = false;
    snapshot.sinks[0].last_error = "database is locked";
    const auto report = evaluate_readiness(snapshot);
    CHECK_FALSE(report.ready);
    CHECK(mentions(report.reasons, "sink 'main' is failing: database is locked"));
}

TEST_CASE("a stalled sink (no write completes while events wait) makes the host unready", "[http][readiness]") {
    auto snapshot = mdp::test::healthy_snapshot();
    const mdp::http::ReadinessPolicy policy{.sink_stall_after_ns = 30'000'000'000};
    snapshot.queue.depth = 500;
    for (auto& sink : snapshot.sinks) {
        sink.last_success_ns = snapshot.now_ns - 10'000'000'000;  // 10 s ago: still fine
    }
    CHECK(evaluate_readiness(snapshot, policy).ready);

    snapshot.sinks[1].last_success_ns = snapshot.now_ns - 31'000'000'000;
    const auto report = evaluate_readiness(snapshot, policy);
    CHECK_FALSE(report.ready);
    CHECK(mentions(report.reasons, "sink 'archive' is stalled: no write completed for 31 s while 500 events wait"));

    // An empty queue is not a stall: there is nothing to write.
    snapshot.queue.depth = 0;
    CHECK(evaluate_readiness(snapshot, policy).ready);
}

TEST_CASE("a sink that never wrote is stalled only once the host has run longer than the limit", "[http][readiness]") {
    auto snapshot = mdp::test::healthy_snapshot();
    const mdp::http::ReadinessPolicy policy{.sink_stall_after_ns = 30'000'000'000};
    snapshot.queue.depth = 100;
    for (auto& sink : snapshot.sinks) {
        sink.last_success_ns = 0;
    }
    snapshot.now_ns = snapshot.started_at_ns + 5'000'000'000;
    CHECK(evaluate_readiness(snapshot, policy).ready);
    snapshot.now_ns = snapshot.started_at_ns + 60'000'000'000;
    CHECK_FALSE(evaluate_readiness(snapshot, policy).ready);
}

TEST_CASE("shutting down makes the host unready", "[http][readiness]") {
    auto snapshot = mdp::test::healthy_snapshot();
    snapshot.shutting_down = true;
    const auto report = evaluate_readiness(snapshot);
    CHECK_FALSE(report.ready);
    CHECK(mentions(report.reasons, "host is shutting down"));
}

TEST_CASE("backpressure is noted but does not make the host unready", "[http][readiness]") {
    auto snapshot = mdp::test::healthy_snapshot();
    snapshot.queue.depth = 9000;
    snapshot.queue.level = "hard";
    snapshot.queue.level_value = 2;
    const auto report = evaluate_readiness(snapshot);
    CHECK(report.ready);
    CHECK(mentions(report.notes, "backpressure is hard (depth 9000 of 10000)"));
}

TEST_CASE("every problem is listed, not just the first", "[http][readiness]") {
    const auto report = evaluate_readiness(mdp::test::sample_snapshot());  // backup failed
    auto snapshot = mdp::test::sample_snapshot();
    snapshot.sinks[0].healthy = false;
    snapshot.shutting_down = true;
    const auto worse = evaluate_readiness(snapshot);
    CHECK(worse.reasons.size() == report.reasons.size() + 2);
}

TEST_CASE("start-up readiness: 503 while starting and from shutdown on, 200 in between", "[http][readiness]") {
    auto snapshot = mdp::test::healthy_snapshot();
    snapshot.startup_complete = false;
    auto report = mdp::http::evaluate_startup(snapshot);
    CHECK_FALSE(report.ready);
    CHECK(mentions(report.reasons, "host is starting"));

    snapshot.startup_complete = true;
    CHECK(mdp::http::evaluate_startup(snapshot).ready);

    snapshot.shutting_down = true;
    report = mdp::http::evaluate_startup(snapshot);
    CHECK_FALSE(report.ready);
    CHECK(mentions(report.reasons, "host is shutting down"));
}

TEST_CASE("start-up readiness ignores what /ready reports: a failing or stalled sink, a failed provider",
          "[http][readiness]") {
    // A store outage is shared by every pod; taking the pods out of the HPA's ready count
    // would scale the pipeline down in the middle of it (the KEDA README, "Readiness").
    auto snapshot = mdp::test::sample_snapshot();
    snapshot.startup_complete = true;
    snapshot.sinks.at(0).healthy = false;
    snapshot.queue.depth = snapshot.queue.capacity;
    REQUIRE_FALSE(evaluate_readiness(snapshot).ready);
    CHECK(mdp::http::evaluate_startup(snapshot).ready);
}
