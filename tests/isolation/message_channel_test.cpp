// The control channel of isolated providers (host/isolation/message_channel): framed messages
// keep their boundaries and fields, a short payload is an error, a closed peer ends receive().

#include "isolation/message_channel.hpp"

#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <memory>

using mdp::isolation::MalformedMessage;
using mdp::isolation::MessageChannel;
using mdp::isolation::PayloadReader;
using mdp::isolation::PayloadWriter;

namespace {

// Both ends of one connected socket pair.
struct ChannelPair {
    std::unique_ptr<MessageChannel> host;
    std::unique_ptr<MessageChannel> runner;
};

ChannelPair channel_pair() {
    std::array<int, 2> fds{};
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds.data()) == 0);
    ChannelPair pair;
    pair.host = std::make_unique<MessageChannel>(fds[0]);
    pair.runner = std::make_unique<MessageChannel>(fds[1]);
    return pair;
}

}  // namespace

TEST_CASE("messages keep their boundaries, types and fields in order") {
    ChannelPair channels = channel_pair();
    auto& host = channels.host;
    auto& runner = channels.runner;
    PayloadWriter first;
    first.i32(-7).u64(1ULL << 40).f64(0.25).text("quote \"AAA\"").text("");
    REQUIRE(runner->send(101, first));
    REQUIRE(runner->send(102));
    const std::string big(100'000, 'x');
    PayloadWriter third;
    third.text(big);
    REQUIRE(runner->send(103, third));

    auto message = host->receive();
    REQUIRE(message);
    CHECK(message->type == 101);
    PayloadReader reader(message->payload);
    CHECK(reader.i32() == -7);
    CHECK(reader.u64() == 1ULL << 40);
    CHECK(reader.f64() == 0.25);
    CHECK(reader.text() == "quote \"AAA\"");
    CHECK(reader.text().empty());
    message = host->receive();
    REQUIRE(message);
    CHECK(message->type == 102);
    CHECK(message->payload.empty());
    message = host->receive();
    REQUIRE(message);
    CHECK(PayloadReader(message->payload).text() == big);
}

TEST_CASE("reading past a payload is a malformed message, not a misread") {
    PayloadWriter writer;
    writer.u32(3);
    PayloadReader reader(writer.bytes());
    CHECK_THROWS_AS(reader.u64(), MalformedMessage);
    PayloadWriter text;
    text.u32(50).u32(0);  // claims 50 bytes of text, has 4
    PayloadReader text_reader(text.bytes());
    CHECK_THROWS_AS(text_reader.text(), MalformedMessage);
}

TEST_CASE("receive() returns nothing once the peer closed the channel") {
    ChannelPair channels = channel_pair();
    auto& host = channels.host;
    auto& runner = channels.runner;
    REQUIRE(runner->send(5));
    runner.reset();
    CHECK(host->receive().has_value());
    CHECK_FALSE(host->receive().has_value());
    CHECK_FALSE(host->send(6));
}

TEST_CASE("try_send gives up on a peer that does not read instead of blocking, and never cuts a frame") {
    ChannelPair channels = channel_pair();
    PayloadWriter payload;
    payload.text(std::string(4096, 'f'));
    std::size_t sent = 0;
    while (channels.runner->try_send(5, payload)) {
        ++sent;
        REQUIRE(sent < 100'000);  // a socket buffer is far smaller: try_send must refuse at some point
        // (a frame this small is one socket buffer: Linux writes it whole or not at all)
    }
    CHECK(sent > 0);
    for (std::size_t index = 0; index < sent; ++index) {
        const auto message = channels.host->receive();
        REQUIRE(message);
        CHECK(PayloadReader(message->payload).text().size() == 4096);
    }
}
