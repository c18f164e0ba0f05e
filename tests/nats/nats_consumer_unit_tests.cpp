// The nats provider's parts without a server: the ack ledger (which message may be
// acknowledged once the host settled its events), the rule for messages it cannot read, and
// its config errors.
#include "ack_ledger.hpp"
#include "consumer_config.hpp"
#include "message_reader.hpp"
#include "nats_provider.hpp"
#include "recording_host.hpp"

#include <mdp/wire/event_codec.hpp>

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

using mdp::nats_provider::AckLedger;
using mdp::nats_provider::ConsumerConfig;
using mdp::nats_provider::MessageProblem;
using mdp::nats_provider::Settlement;
using mdp::nats_provider::UndecodablePolicy;

namespace {

using Done = std::vector<std::pair<int, Settlement>>;

Done take(AckLedger<int>& ledger) {
    Done done;
    for (const auto& message : ledger.take_done()) {
        done.emplace_back(message.message, message.settlement);
    }
    return done;
}

std::string binary_batch(std::size_t count) {
    std::vector<mdp_event_t> events;
    for (std::size_t index = 0; index < count; ++index) {
        events.push_back(mdp::sdk::make_trade("AAPL", 1, 2, 100.0 + static_cast<double>(index), 1.0));
    }
    std::string payload;
    mdp::wire::encode_batch(mdp::wire::Encoding::binary, payload, "ingest", "run-1", count, [&](std::size_t index) {
        return mdp::wire::EventRef{index + 1, &events[index]};
    });
    return payload;
}

ConsumerConfig parse(const std::string& json, const std::map<std::string, std::string>& environment = {}) {
    const mdp::test::RecordingHost host;
    return mdp::nats_provider::parse_consumer_config(json, mdp::sdk::Host(host.table()), environment);
}

std::string config_error(const std::string& json, const std::map<std::string, std::string>& environment = {}) {
    try {
        (void)parse(json, environment);
    } catch (const mdp::sdk::ConfigProblem& problem) {
        return problem.what();
    }
    return "(accepted)";
}

}  // namespace

TEST_CASE("ack ledger: a message is done once every sequence of it is settled, in publish order", "[nats][unit]") {
    AckLedger<int> ledger;
    ledger.record(1, 1, 10);
    ledger.record(2, 11, 20);
    ledger.record(3, 21, 25);
    ledger.settle(1, 15, false);
    CHECK(take(ledger) == Done{{1, Settlement::acknowledge}});  // 2 is only half stored
    ledger.settle(16, 25, false);
    CHECK(take(ledger) == Done{{2, Settlement::acknowledge}, {3, Settlement::acknowledge}});
    CHECK(ledger.size() == 0);
}

TEST_CASE("ack ledger: a message with a dropped record is redelivered, its neighbours acknowledged", "[nats][unit]") {
    AckLedger<int> ledger;
    ledger.record(1, 1, 10);
    ledger.record(2, 11, 20);
    ledger.record(3, 21, 30);
    ledger.settle(1, 14, false);
    ledger.settle(15, 15, true);  // one record of message 2 was refused by the queue
    ledger.settle(16, 30, false);
    CHECK(take(ledger) == Done{{1, Settlement::acknowledge}, {2, Settlement::redeliver}, {3, Settlement::acknowledge}});
}

TEST_CASE("ack ledger: settlements of sequences it never recorded only move the watermark", "[nats][unit]") {
    AckLedger<int> ledger;
    ledger.settle(1, 40, true);  // an earlier start's records, or a call the host refused
    ledger.record(7, 41, 50);
    CHECK(take(ledger).empty());
    ledger.settle(41, 50, false);
    CHECK(take(ledger) == Done{{7, Settlement::acknowledge}});
}

TEST_CASE("ack ledger: a drop settled before its message is recorded still redelivers it", "[nats][unit]") {
    AckLedger<int> ledger;
    ledger.record(1, 1, 10);
    ledger.settle(1, 10, false);
    ledger.settle(11, 12, true);  // refused inside the publish call, before record() ran
    ledger.settle(13, 20, false);
    ledger.record(2, 11, 20);
    ledger.record(3, 21, 30);
    ledger.settle(21, 30, false);
    CHECK(take(ledger) == Done{{1, Settlement::acknowledge}, {2, Settlement::redeliver}, {3, Settlement::acknowledge}});
}

TEST_CASE("ack ledger: take_all hands back every unsettled message for redelivery", "[nats][unit]") {
    AckLedger<int> ledger;
    ledger.record(1, 1, 5);
    ledger.record(2, 6, 9);
    ledger.settle(1, 5, false);
    CHECK(ledger.take_all() == std::vector<int>{1, 2});
    CHECK(ledger.size() == 0);
    CHECK(take(ledger).empty());
}

TEST_CASE("message reader: a batch in a known format decodes with its identity", "[nats][unit]") {
    const auto read = mdp::nats_provider::read_message(mdp::wire::kBinaryFormatId, binary_batch(3));
    REQUIRE(read.problem == MessageProblem::none);
    CHECK(read.batch.origin == "ingest");
    CHECK(read.batch.run_id == "run-1");
    REQUIRE(read.batch.events.size() == 3);
    CHECK(read.batch.events[2].seq == 3);
    CHECK(read.batch.events[2].event.body.trade.price == 102.0);
}

TEST_CASE("message reader: what no reader can decode is malformed, a newer version is a future format",
          "[nats][unit]") {
    using mdp::nats_provider::read_message;
    const std::string payload = binary_batch(2);
    CHECK(read_message(std::nullopt, payload).problem == MessageProblem::malformed);
    CHECK_THAT(read_message(std::nullopt, payload).reason, Catch::Contains("no Mdp-Format header"));
    CHECK(read_message("text/csv", payload).problem == MessageProblem::malformed);
    CHECK(read_message(mdp::wire::kBinaryFormatId, payload.substr(0, payload.size() - 5)).problem ==
          MessageProblem::malformed);
    CHECK(read_message(mdp::wire::kBinaryFormatId, binary_batch(0)).problem == MessageProblem::malformed);
    const auto future = read_message("mdp.events.bin/2", payload);
    CHECK(future.problem == MessageProblem::future_format);
    CHECK_THAT(future.reason, Catch::Contains("newer than this reader"));
    CHECK(read_message("mdp.events.json/9", "{}").problem == MessageProblem::future_format);
}

TEST_CASE("nats provider config: defaults, keys, and MDP_NATS_* over the keys", "[nats][unit]") {
    const ConsumerConfig defaults = parse("{}");
    CHECK(defaults.servers == std::vector<std::string>{"nats://127.0.0.1:4222"});
    CHECK(defaults.stream == "MDP_EVENTS");
    CHECK(defaults.consumer == "mdp-store");
    CHECK(defaults.filter_subject == "mdp.events.>");
    CHECK(defaults.malformed == UndecodablePolicy::terminate);
    CHECK(defaults.future_format == UndecodablePolicy::keep);
    const ConsumerConfig set = parse(R"({"servers": ["nats://a:1"], "consumer": "store-2", "ack_wait_ms": 2000,
        "max_ack_pending": 10, "fetch_batch": 8, "user": "u", "password": "p"})",
                                     {{"MDP_NATS_SERVERS", "nats://b:1, nats://c:2"}, {"MDP_NATS_PASSWORD", "q"}});
    CHECK(set.servers == std::vector<std::string>{"nats://b:1", "nats://c:2"});
    CHECK(set.consumer == "store-2");
    CHECK(set.ack_wait.count() == 2000);
    CHECK(set.max_ack_pending == 10);
    CHECK(set.fetch_batch == 8);
    CHECK(set.password == "q");
}

TEST_CASE("nats provider config: each bad value is named by its path", "[nats][unit]") {
    CHECK_THAT(config_error(R"({"servers": []})"), Catch::StartsWith("servers: expected at least one server URL"));
    CHECK_THAT(config_error(R"({"servers": ["nats://a:1", "a b"]})"), Catch::StartsWith("servers[1]: expected"));
    CHECK_THAT(config_error(R"({"consumer": "a.b"})"), Catch::StartsWith("consumer: expected a consumer name"));
    CHECK_THAT(config_error(R"({"filter_subject": "mdp.>.x"})"), Catch::StartsWith("filter_subject: expected"));
    CHECK_THAT(config_error(R"({"ack_wait_ms": 5})"), Catch::StartsWith("ack_wait_ms: expected an integer"));
    CHECK_THAT(config_error(R"({"max_deliver": 0})"), Catch::StartsWith("max_deliver: expected -1"));
    CHECK_THAT(config_error(R"({"malformed_messages": "drop"})"), Catch::StartsWith("malformed_messages: expected"));
    CHECK_THAT(config_error(R"({"fetch_bach": 3})"), Catch::Contains("fetch_batch"));
    CHECK_THAT(config_error(R"({"user": "u"})"), Catch::Contains("user and password go together"));
    CHECK_THAT(config_error(R"({"token": "t", "user": "u", "password": "p"})"),
               Catch::Contains("choose one way to authenticate"));
    CHECK_THAT(config_error("{}", {{"MDP_NATS_SERVERS", "nats://a:1,"}}), Catch::StartsWith("MDP_NATS_SERVERS: "));
}

TEST_CASE("nats provider refuses a host without stored acknowledgements", "[nats][unit]") {
    const mdp::test::RecordingHost host;  // offers no extensions
    CHECK_THROWS_WITH(
        mdp::nats_provider::NatsProvider(mdp::sdk::Host(host.table()), "store", "{}"),
        Catch::Contains("this host is too old for the nats provider") && Catch::Contains("mdp.host.stored-acks/1"));
}
