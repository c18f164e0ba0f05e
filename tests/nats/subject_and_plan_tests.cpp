// Subjects, message ids and the cut of a batch into messages (nats_subject.hpp,
// nats_message_plan.hpp): the parts of the nats sink that decide what a consumer can filter
// on and what the stream de-duplicates.
#include "sink_test_events.hpp"
#include "sinks/nats/nats_message_plan.hpp"
#include "sinks/nats/nats_subject.hpp"

#include <catch2/catch.hpp>

using namespace mdp::sinks;

TEST_CASE("subject tokens escape every byte a subject cannot carry, reversibly", "[nats][unit]") {
    CHECK(subject_token("AAPL") == "AAPL");
    CHECK(subject_token("EUR.USD") == "EUR%2EUSD");
    CHECK(subject_token("BRK B") == "BRK%20B");
    CHECK(subject_token("a*b>c%") == "a%2Ab%3Ec%25");
    CHECK(subject_token("BRK_B") != subject_token("BRK.B"));
    CHECK(subject_token("") == "%00");
    CHECK(event_subject("mdp.events", "ibkr-1", mdp::common::EventType::quote, "EUR.USD") ==
          "mdp.events.ibkr-1.quote.EUR%2EUSD");
    CHECK(event_subject("x", "p", mdp::common::EventType::bar, "S") == "x.p.bar.S");
    CHECK(message_id("ibkr", "ab12", 7, 99) == "ibkr:ab12:7-99");
}

TEST_CASE("stream names and subject prefixes are validated", "[nats][unit]") {
    CHECK(is_valid_stream_name("MDP_EVENTS"));
    CHECK_FALSE(is_valid_stream_name("MDP.EVENTS"));
    CHECK_FALSE(is_valid_stream_name(""));
    CHECK(is_valid_subject_prefix("mdp.events"));
    CHECK_FALSE(is_valid_subject_prefix("mdp.*"));
    CHECK_FALSE(is_valid_subject_prefix("mdp..events"));
    CHECK_FALSE(is_valid_subject_prefix("mdp.events."));
}

TEST_CASE("events of one provider with different origins go into different messages", "[nats][unit]") {
    // A relaying provider (published with an identity) can carry several origins; one message
    // carries one identity, which its subject, headers and Nats-Msg-Id are made of.
    std::vector<mdp::pipeline::StoreEvent> batch = {mdp::test::make_quote(1, "A"), mdp::test::make_quote(2, "A"),
                                                    mdp::test::make_quote(3, "A")};
    batch[1].origin_id = 1;
    batch[2].origin_id = 2;
    const auto messages = plan_messages(batch, 100);
    REQUIRE(messages.size() == 3);
    CHECK(messages[0].origin_id == 0);
    CHECK(messages[1].origin_id == 1);
    CHECK(messages[2].origin_id == 2);
}

TEST_CASE("a batch is cut by provider, type and symbol, in order, and long groups are split", "[nats][unit]") {
    std::vector<mdp::pipeline::StoreEvent> batch = {mdp::test::make_quote(1, "A"), mdp::test::make_trade(2, "A"),
                                                    mdp::test::make_quote(3, "B"), mdp::test::make_quote(4, "A"),
                                                    mdp::test::make_quote(5, "A"), mdp::test::make_quote(6, "A")};
    batch[5].provider_id = 1;
    const auto messages = plan_messages(batch, 2);
    REQUIRE(messages.size() == 5);
    CHECK(messages[0].indices == std::vector<std::uint32_t>{0, 3});  // provider 0 quotes of A, first two
    CHECK(messages[1].indices == std::vector<std::uint32_t>{4});
    CHECK(messages[2].indices == std::vector<std::uint32_t>{1});  // the trade
    CHECK(messages[2].type == mdp::common::EventType::trade);
    CHECK(messages[3].indices == std::vector<std::uint32_t>{2});  // B
    CHECK(messages[4].indices == std::vector<std::uint32_t>{5});  // provider 1
    CHECK(messages[4].provider_id == 1);
    // The same batch is always cut the same way: a retry reuses the message ids.
    const auto again = plan_messages(batch, 2);
    for (std::size_t i = 0; i < messages.size(); ++i) {
        CHECK(again[i].indices == messages[i].indices);
    }
}
