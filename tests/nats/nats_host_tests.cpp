// mdp-host with a nats sink against a real nats-server: the server killed and restarted
// mid-run (the host backs up, goes HARD and unready, recovers, nothing lost or duplicated),
// SIGTERM under load (everything accepted is in the stream before exit 0), and a sink it
// cannot open (exit 1 naming the stream).
#include "nats_fixture.hpp"
#include "stream_reader.hpp"
#include "synthetic_host.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <thread>

using namespace std::chrono_literals;
using mdp::test::eventually;
using mdp::test::kTestStream;
using mdp::test::nats_sink_object;
using mdp::test::NatsServer;
using mdp::test::StreamReader;
using mdp::test::SyntheticHost;
using nlohmann::json;

namespace {

// Every event the provider published is in the stream exactly once, with the host's
// identity: per origin and run, count == distinct seq == max seq == published.
void check_everything_in_stream_once(const NatsServer& server, const json& summary) {
    REQUIRE(summary.is_object());
    INFO("summary: " << summary.dump());
    const json& synthetic = summary["providers"]["synthetic"];
    const auto published = synthetic["published"].get<std::uint64_t>();
    CHECK(published > 0);
    for (const auto& [reason, count] : synthetic["dropped_by_reason"].items()) {
        INFO("dropped for " << reason);
        CHECK(count == 0);
    }
    CHECK(summary["not_stored"] == 0);
    CHECK(summary["sinks"]["bus"]["stored"].get<std::uint64_t>() == published);
    StreamReader reader(server.url());
    const auto events = mdp::test::decode_all(reader.read_all(kTestStream));
    std::set<std::uint64_t> seqs;
    std::uint64_t max_seq = 0;
    for (const auto& event : events) {
        REQUIRE(event.origin == "synthetic");
        REQUIRE(event.run_id == summary["run_id"].get<std::string>());
        seqs.insert(event.wire.seq);
        max_seq = std::max(max_seq, event.wire.seq);
    }
    CHECK(events.size() == published);
    CHECK(seqs.size() == published);
    CHECK(max_seq == published);
}

mdp::test::SyntheticHostOptions host_options(const NatsServer& server) {
    mdp::test::SyntheticHostOptions options;
    options.sink = nats_sink_object(server.url(), {{"publish_timeout_ms", 500}, {"circuit_cooldown_ms", 500}});
    return options;
}

}  // namespace

TEST_CASE("mdp-host with a nats sink: nats-server killed and restarted mid-run, nothing lost or duplicated",
          "[nats][host]") {
    MDP_REQUIRE_NATS_SERVER();
    NatsServer server;
    SyntheticHost host(host_options(server));
    INFO(host.output());
    REQUIRE(eventually([&] { return mdp::test::first_sink_events_stored(host.status()) > 500; }, 60s));
    REQUIRE(host.get("/ready").status == 200);
    server.kill();
    // The queue fills (2 x 500 events/s into capacity 2000): HARD, the provider paused, the
    // sink unhealthy and the host not ready, naming the sink.
    REQUIRE(eventually(
        [&] {
            const json status = host.status();
            return status["queue"]["level"] == "hard" && status["providers"][0]["rate_scale"] == 0.0;
        },
        60s));
    json status = host.status();
    CHECK(status["sinks"][0]["healthy"] == false);
    CHECK(status["providers"][0]["dropped_total"] == 0);
    const auto ready = host.get("/ready");
    CHECK(ready.status == 503);
    CHECK_THAT(ready.body, Catch::Contains("sink 'bus'"));
    server.start();
    REQUIRE(eventually(
        [&] {
            status = host.status();
            return status["queue"]["level"] == "ok" && status["providers"][0]["rate_scale"] == 1.0;
        },
        90s));
    CHECK(eventually([&] { return host.get("/ready").status == 200; }, 30s));
    const auto resumed_at = mdp::test::first_sink_events_stored(host.status());
    CHECK(eventually([&] { return mdp::test::first_sink_events_stored(host.status()) > resumed_at + 500; }, 30s));
    REQUIRE(host.stop() == 0);
    const json summary = host.summary();
    CHECK(summary["sinks"]["bus"]["errors"].get<std::uint64_t>() > 0);  // the outage was real
    check_everything_in_stream_once(server, summary);
}

TEST_CASE("mdp-host with a nats sink: SIGTERM under load, everything accepted is in the stream before exit 0",
          "[nats][host]") {
    MDP_REQUIRE_NATS_SERVER();
    NatsServer server;
    auto options = host_options(server);
    options.rate_per_symbol = 0;  // unthrottled: the queue is as full as the sink lets it be
    options.queue_capacity = 20000;
    options.batch_size = 1000;
    SyntheticHost host(options);
    INFO(host.output());
    REQUIRE(eventually([&] { return mdp::test::first_sink_events_stored(host.status()) > 50000; }, 60s));
    REQUIRE(host.stop() == 0);
    check_everything_in_stream_once(server, host.summary());
}

TEST_CASE("mdp-host refuses to start with a nats sink it cannot open, naming the stream or server", "[nats][host]") {
    MDP_REQUIRE_NATS_SERVER();
    NatsServer server;
    const mdp::test::RefusingPort nothing_listening;
    json sink;
    std::string reason;
    SECTION("unknown stream, creation off") {
        sink = nats_sink_object(server.url(), {{"stream", "ABSENT"}, {"create_stream", false}});
        reason = "sink bus (nats): stream ABSENT does not exist and create_stream is false";
    }
    SECTION("nothing listening") {
        const std::string url = "nats://127.0.0.1:" + std::to_string(nothing_listening.port());
        sink = nats_sink_object(url);
        reason = "sink bus (nats): cannot connect to " + url + " after 2 attempts";
    }
    mdp::test::SyntheticHostOptions options;
    options.sink = sink;
    mdp::test::TempDir directory;
    const auto config = directory.write_file(
        "mdp.json", mdp::test::synthetic_host_config(options, 0, directory / "unused.sqlite").dump(2));
    const auto run = mdp::test::run_to_completion(MDP_HOST_BINARY, {"--config", config.string()}, 60s);
    INFO(run.output);
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.output, Catch::Contains(reason));
}
