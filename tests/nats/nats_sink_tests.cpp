// The nats sink against a real nats-server: what arrives in the stream (subjects, headers,
// identity, every field), the duplicate window turning a repeated batch into nothing,
// pipelined batches confirmed in order, an outage and recovery without a restart (also with
// batches unconfirmed), and bad settings failing with a clear reason.
#include "nats_fixture.hpp"
#include "sinks/nats/nats_sink.hpp"
#include "sinks/sink_registry.hpp"
#include "stream_reader.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <set>

using namespace std::chrono_literals;
using mdp::test::eventually;
using mdp::test::kTestStream;
using mdp::test::make_context;
using mdp::test::make_mixed_batch;
using mdp::test::make_nats_sink;
using mdp::test::nats_sink_object;
using mdp::test::NatsServer;
using mdp::test::StreamReader;
using nlohmann::json;

namespace {

std::string error_of_open(mdp::sinks::Sink& sink) {
    try {
        sink.open(make_context());
    } catch (const mdp::sinks::SinkError& error) {
        return error.what();
    }
    return "open() succeeded";
}

// The batches one after the other.
std::vector<mdp::pipeline::StoreEvent> joined(
    std::initializer_list<const std::vector<mdp::pipeline::StoreEvent>*> batches) {
    std::vector<mdp::pipeline::StoreEvent> all;
    for (const auto* batch : batches) {
        all.insert(all.end(), batch->begin(), batch->end());
    }
    return all;
}

// Writes `batch` again and again, as the coordinator retries it, until the client is back
// and the write succeeds; false after 30 s.
bool written_when_back(mdp::sinks::Sink& sink, const std::vector<mdp::pipeline::StoreEvent>& batch) {
    return eventually(
        [&] {
            try {
                sink.write(batch);
                return true;
            } catch (const mdp::sinks::SinkError&) {
                return false;
            }
        },
        30s);
}

// Each event of `batch` is in `stored` exactly once, with its identity and every field.
void check_stored_once(const std::vector<mdp::pipeline::StoreEvent>& batch,
                       const std::vector<mdp::test::StoredEvent>& stored) {
    REQUIRE(stored.size() == batch.size());
    std::map<std::uint64_t, const mdp::test::StoredEvent*> by_seq;
    for (const auto& event : stored) {
        CHECK(event.origin == "synthetic");
        CHECK(event.run_id == "run-1");
        by_seq[event.wire.seq] = &event;
    }
    REQUIRE(by_seq.size() == batch.size());
    for (const auto& record : batch) {
        INFO("seq " << record.sequence);
        REQUIRE(by_seq.count(record.sequence) == 1);
        const mdp_event_t& event = by_seq[record.sequence]->wire.event;
        CHECK(event.type == record.event.type);
        CHECK(event.event_time_ns == record.event.event_time_ns);
        CHECK(event.receive_time_ns == record.event.receive_time_ns);
        CHECK(std::memcmp(event.symbol, record.event.symbol, sizeof(event.symbol)) == 0);
        CHECK(std::memcmp(event.body.reserved, record.event.body.reserved, sizeof(mdp_bar_t)) == 0);
    }
}

}  // namespace

TEST_CASE("nats sink: events arrive in the stream with subjects, headers and identity", "[nats][integration]") {
    MDP_REQUIRE_NATS_SERVER();
    NatsServer server;
    auto sink = make_nats_sink(nats_sink_object(server.url()));
    sink->open(make_context());
    CHECK(sink->destination() == "NATS " + server.url() + ", stream MDP_TEST, subjects mdp.events.>");
    const auto batch = make_mixed_batch(5, 3, 2);  // quotes of AAPL, trades of MSFT, bars of AAPL
    sink->write(batch);
    StreamReader reader(server.url());
    const auto messages = reader.read_all(kTestStream);
    REQUIRE(messages.size() == 3);  // one per (provider, type, symbol)
    std::set<std::string> subjects;
    std::set<std::string> ids;
    for (const auto& message : messages) {
        subjects.insert(message.subject);
        ids.insert(message.headers.at("Nats-Msg-Id"));
        CHECK(message.headers.at("Mdp-Format") == "mdp.events.bin/1");
        CHECK(message.headers.at("Mdp-Origin") == "synthetic");
        CHECK(message.headers.at("Mdp-Run-Id") == "run-1");
    }
    CHECK(subjects == std::set<std::string>{"mdp.events.synthetic.quote.AAPL", "mdp.events.synthetic.trade.MSFT",
                                            "mdp.events.synthetic.bar.AAPL"});
    CHECK(ids == std::set<std::string>{"synthetic:run-1:1-5", "synthetic:run-1:6-8", "synthetic:run-1:9-10"});
    check_stored_once(batch, mdp::test::decode_all(messages));
    const auto stats = sink->stats();
    CHECK(stats.rows_by_table.at("quote") == 5);
    CHECK(stats.rows_by_table.at("trade") == 3);
    CHECK(stats.rows_by_table.at("bar") == 2);
    CHECK(stats.circuit_state == "closed");
    // The stream was created with the documented settings.
    const json stream = server.jsz()["account_details"][0]["stream_detail"][0];
    CHECK(stream["name"] == kTestStream);
    CHECK(stream["config"]["retention"] == "workqueue");
    CHECK(stream["config"]["discard"] == "new");
    CHECK(stream["config"]["duplicate_window"] == 120'000'000'000LL);
    CHECK(stream["config"]["subjects"] == json::array({"mdp.events.>"}));
    sink->close();
}

TEST_CASE("nats sink: a batch published again is dropped by the duplicate window", "[nats][integration]") {
    MDP_REQUIRE_NATS_SERVER();
    NatsServer server;
    auto sink = make_nats_sink(nats_sink_object(server.url(), {{"max_events_per_message", 4}}));
    auto& nats = dynamic_cast<mdp::sinks::NatsSink&>(*sink);
    sink->open(make_context());
    const auto batch = make_mixed_batch(10, 5, 0);  // quotes 3 messages (4+4+2), trades 2 (4+1)
    sink->write(batch);
    StreamReader reader(server.url());
    REQUIRE(reader.message_count(kTestStream) == 5);
    CHECK(nats.messages_stored() == 5);
    // A write whose PubAcks were lost is retried by the coordinator with the same batch.
    sink->write(batch);
    CHECK(reader.message_count(kTestStream) == 5);
    CHECK(nats.messages_duplicate() == 5);
    check_stored_once(batch, mdp::test::decode_all(reader.read_all(kTestStream)));
    // A later batch is new.
    sink->write(make_mixed_batch(2, 0, 0, 16));
    CHECK(reader.message_count(kTestStream) == 6);
}

TEST_CASE("nats sink: JSON encoding on request, named in Mdp-Format", "[nats][integration]") {
    MDP_REQUIRE_NATS_SERVER();
    NatsServer server;
    auto sink = make_nats_sink(nats_sink_object(server.url(), {{"encoding", "json"}, {"subject_prefix", "md.x"}}));
    sink->open(make_context());
    const auto batch = make_mixed_batch(3, 2, 1);
    sink->write(batch);
    StreamReader reader(server.url());
    const auto messages = reader.read_all(kTestStream);
    REQUIRE(messages.size() == 3);
    CHECK(messages[0].headers.at("Mdp-Format") == "mdp.events.json/1");
    CHECK(messages[0].subject == "md.x.synthetic.quote.AAPL");
    CHECK(json::parse(messages[0].payload)["events"].size() == 3);
    check_stored_once(batch, mdp::test::decode_all(messages));
}

TEST_CASE("nats sink: nats-server killed mid-run, writes fail until it is back, then nothing lost or duplicated",
          "[nats][integration]") {
    MDP_REQUIRE_NATS_SERVER();
    NatsServer server;
    auto sink = make_nats_sink(nats_sink_object(server.url(), {{"publish_timeout_ms", 300}}));
    sink->open(make_context());
    const auto first = make_mixed_batch(20, 10, 0, 1);
    const auto second = make_mixed_batch(20, 10, 0, 31);
    sink->write(first);
    server.kill();
    std::string failure;
    try {
        sink->write(second);
    } catch (const mdp::sinks::SinkError& error) {
        failure = error.what();
    }
    CHECK_THAT(failure, Catch::Contains("PubAck") || Catch::Contains("not connected"));
    CHECK(sink->stats().errors_by_kind.size() == 1);
    server.start();
    // The coordinator retries the same batch; the client reconnects by itself.
    REQUIRE(written_when_back(*sink, second));
    const auto both = joined({&first, &second});
    StreamReader reader(server.url());
    check_stored_once(both, mdp::test::decode_all(reader.read_all(kTestStream)));
}

TEST_CASE("nats sink: batches are published before the oldest is confirmed, and confirmed in order",
          "[nats][integration]") {
    MDP_REQUIRE_NATS_SERVER();
    NatsServer server;
    auto sink = make_nats_sink(nats_sink_object(server.url(), {{"max_batches_in_flight", 3}}));
    CHECK(sink->max_pending_writes() == 3);
    sink->open(make_context());
    const auto first = make_mixed_batch(4, 2, 0, 1);
    const auto second = make_mixed_batch(3, 1, 0, 7);
    const auto third = make_mixed_batch(2, 2, 0, 11);
    sink->start_write(first);
    sink->start_write(second);
    sink->start_write(third);
    StreamReader reader(server.url());
    // All three in the stream while none is confirmed: nothing counted as stored yet.
    REQUIRE(eventually([&] { return reader.message_count(kTestStream) == 6; }, 10s));
    CHECK(sink->stats().rows_by_table.empty());
    sink->finish_write();
    CHECK(sink->stats().rows_by_table.at("quote") == 4);
    CHECK(sink->stats().rows_by_table.at("trade") == 2);
    sink->finish_write();
    sink->finish_write();
    CHECK(sink->stats().rows_by_table.at("quote") == 9);
    CHECK(sink->stats().rows_by_table.at("trade") == 5);
    const auto all = joined({&first, &second, &third});
    check_stored_once(all, mdp::test::decode_all(reader.read_all(kTestStream)));
}

TEST_CASE("nats sink: a failure forgets every unconfirmed batch, which written again is stored once",
          "[nats][integration]") {
    MDP_REQUIRE_NATS_SERVER();
    NatsServer server;
    auto sink = make_nats_sink(nats_sink_object(server.url(), {{"publish_timeout_ms", 300}}));
    sink->open(make_context());
    const auto first = make_mixed_batch(5, 5, 0, 1);
    const auto second = make_mixed_batch(5, 5, 0, 11);
    const auto third = make_mixed_batch(5, 5, 0, 21);
    sink->write(first);
    server.kill();
    // Started while the server is gone: either start or the first confirmation fails, as the
    // coordinator would see it.
    std::string failure;
    try {
        sink->start_write(second);
        sink->start_write(third);
        sink->finish_write();
    } catch (const mdp::sinks::SinkError& error) {
        failure = error.what();
    }
    CHECK_THAT(failure, Catch::Contains("PubAck") || Catch::Contains("not connected"));
    server.start();
    // The coordinator writes every forgotten batch again, oldest first, with write().
    REQUIRE(written_when_back(*sink, second));
    REQUIRE(written_when_back(*sink, third));
    const auto all = joined({&first, &second, &third});
    StreamReader reader(server.url());
    check_stored_once(all, mdp::test::decode_all(reader.read_all(kTestStream)));
    CHECK(sink->stats().rows_by_table.at("quote") == 15);
}

TEST_CASE("nats sink: a missing stream with create_stream false is an error naming the stream", "[nats][integration]") {
    MDP_REQUIRE_NATS_SERVER();
    NatsServer server;
    auto sink = make_nats_sink(nats_sink_object(server.url(), {{"stream", "ABSENT"}, {"create_stream", false}}));
    CHECK_THAT(error_of_open(*sink), Catch::Contains("stream ABSENT does not exist and create_stream is false"));
    CHECK(sink->stats().errors_by_kind.at("stream") == 1);
    StreamReader reader(server.url());
    CHECK_FALSE(reader.stream_exists("ABSENT"));
}

TEST_CASE("nats sink: an unreachable server fails open after its attempts, naming the server", "[nats][integration]") {
    const mdp::test::RefusingPort nothing_listening;
    const std::string url = "nats://127.0.0.1:" + std::to_string(nothing_listening.port());
    auto sink = make_nats_sink(nats_sink_object(url, {{"connect_attempts", 3}}));
    CHECK_THAT(error_of_open(*sink), Catch::Contains("cannot connect to " + url + " after 3 attempts"));
    CHECK(sink->stats().errors_by_kind.at("connect") == 1);
}

TEST_CASE("nats sink: wrong credentials are refused at once, right ones from MDP_NATS_* work", "[nats][integration]") {
    MDP_REQUIRE_NATS_SERVER();
    NatsServer server({"mdp", "s3cret"});
    const auto sink_with = [&](const std::map<std::string, std::string>& environment) {
        const auto config = mdp::test::make_sink_config(nats_sink_object(server.url()));
        auto node = config.settings.node();
        node.accept("type");
        node.accept("name");
        return std::make_unique<mdp::sinks::NatsSink>(
            "bus", mdp::sinks::read_nats_sink_options(node, config.settings, environment));
    };
    auto wrong = sink_with({{"MDP_NATS_USER", "mdp"}, {"MDP_NATS_PASSWORD", "guess"}});
    const std::string error = error_of_open(*wrong);
    CHECK_THAT(error, Catch::Contains("refused the credentials"));
    CHECK_THAT(error, Catch::Contains("Authorization"));
    CHECK_THAT(error, !Catch::Contains("guess"));  // never the secret
    CHECK(wrong->stats().errors_by_kind.at("auth") == 1);
    auto right = sink_with({{"MDP_NATS_USER", "mdp"}, {"MDP_NATS_PASSWORD", "s3cret"}});
    right->open(make_context());
    right->write(make_mixed_batch(2, 0, 0));
    StreamReader reader(server.url(), "mdp", "s3cret");
    CHECK(reader.message_count(kTestStream) == 1);
}

TEST_CASE("nats sink keys are validated, naming the JSON path", "[nats][unit]") {
    using mdp::config::ConfigError;
    const auto error_of = [](const json& extra) -> std::string {
        try {
            (void)make_nats_sink(nats_sink_object("nats://127.0.0.1:4222", extra));
        } catch (const ConfigError& error) {
            return error.what();
        }
        return "accepted";
    };
    CHECK_THAT(error_of({{"stream", "a.b"}}), Catch::Contains("store.sinks[0].stream: expected a stream name"));
    CHECK_THAT(error_of({{"subject_prefix", "mdp.>"}}), Catch::Contains("store.sinks[0].subject_prefix"));
    CHECK_THAT(error_of({{"encoding", "xml"}}), Catch::Contains("store.sinks[0].encoding"));
    CHECK_THAT(error_of({{"servers", json::array()}}), Catch::Contains("store.sinks[0].servers"));
    CHECK_THAT(error_of({{"user", "u"}}), Catch::Contains("user and password go together"));
    CHECK_THAT(error_of({{"token", "t"}, {"user", "u"}, {"password", "p"}}),
               Catch::Contains("one way to authenticate"));
    CHECK_THAT(error_of({{"retention", "forever"}}), Catch::Contains("store.sinks[0].retention"));
    CHECK_THAT(error_of({{"max_in_flight", 0}}), Catch::Contains("store.sinks[0].max_in_flight"));
    CHECK_THAT(error_of({{"bogus", 1}}), Catch::Contains("bogus"));
    CHECK(error_of({}) == "accepted");
}

TEST_CASE("MDP_NATS_* variables take precedence over the nats sink's keys", "[nats][unit]") {
    const auto config = mdp::test::make_sink_config(
        nats_sink_object("nats://config:4222", {{"user", "config-user"}, {"password", "config-password"}}));
    const auto options_with = [&](const std::map<std::string, std::string>& environment) {
        auto node = config.settings.node();
        node.accept("type");
        node.accept("name");
        return mdp::sinks::read_nats_sink_options(node, config.settings, environment);
    };
    const auto from_keys = options_with({});
    CHECK(from_keys.servers == std::vector<std::string>{"nats://config:4222"});
    CHECK(from_keys.user == "config-user");
    const auto from_environment = options_with({{"MDP_NATS_SERVERS", "nats://a:4222, nats://b:4222"},
                                                {"MDP_NATS_USER", "env-user"},
                                                {"MDP_NATS_PASSWORD", "env-password"}});
    CHECK(from_environment.servers == std::vector<std::string>{"nats://a:4222", "nats://b:4222"});
    CHECK(from_environment.user == "env-user");
    CHECK(from_environment.password == "env-password");
    // Two ways to authenticate at once is an error, wherever they come from.
    CHECK_THROWS_WITH(options_with({{"MDP_NATS_TOKEN", "t"}}), Catch::Contains("one way to authenticate"));
    CHECK_THROWS_WITH(options_with({{"MDP_NATS_CREDENTIALS_FILE", "/x.creds"}}),
                      Catch::Contains("one way to authenticate"));
    CHECK_THROWS_WITH(options_with({{"MDP_NATS_SERVERS", "nats://a:4222,,"}}), Catch::Contains("MDP_NATS_SERVERS"));
}
