// Random and mutated byte streams through the framing and both decoders: the only outcomes
// allowed are decoded messages, DecodeError (skip the message) and FramingError (drop the
// connection). Anything else (a crash, another exception) fails.

#include "wire_text.hpp"

#include "codec/client_message_codec.hpp"
#include "codec/decode_error.hpp"
#include "codec/frame_decoder.hpp"
#include "codec/server_message_codec.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>

using namespace mdp::ibkr;

namespace {

struct Counts {
    int frames = 0;
    int malformed = 0;
    int framing_errors = 0;
};

// Outcomes of one decoder: decoded, or DecodeError. Any other exception escapes and fails
// the test.
struct Outcomes {
    int decoded = 0;
    int malformed = 0;

    template <typename Decode>
    void count(Decode decode) {
        try {
            decode();
            ++decoded;
        } catch (const DecodeError&) {
            ++malformed;
        }
    }
};

struct NullServerHandler : ServerMessageHandler {};
struct NullClientHandler : ClientMessageHandler {};

Counts run_stream(const std::string& bytes, std::mt19937& random, bool as_server) {
    Counts counts;
    FrameDecoder decoder(1 << 16);
    NullServerHandler server_handler;
    NullClientHandler client_handler;
    std::uniform_int_distribution<std::size_t> chunk(1, 512);
    std::size_t offset = 0;
    while (offset < bytes.size()) {
        const std::size_t size = std::min(chunk(random), bytes.size() - offset);
        decoder.append(std::string_view(bytes).substr(offset, size));
        offset += size;
        try {
            while (auto frame = decoder.next_frame()) {
                ++counts.frames;
                try {
                    if (as_server) {
                        decode_client_message(*frame, 176, client_handler);
                    } else {
                        decode_server_message(*frame, 176, server_handler);
                    }
                } catch (const DecodeError&) {
                    ++counts.malformed;
                }
            }
        } catch (const FramingError&) {
            ++counts.framing_errors;
            decoder.reset();  // what a connection does: drop and start again
        }
    }
    return counts;
}

}  // namespace

TEST_CASE("random bytes never escape as anything but codec errors", "[ibkr][codec][fuzz]") {
    std::mt19937 random(20240601);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int round = 0; round < 200; ++round) {
        std::string bytes(4096, '\0');
        for (char& c : bytes) {
            c = static_cast<char>(byte(random));
        }
        const Counts client = run_stream(bytes, random, false);
        const Counts server = run_stream(bytes, random, true);
        CHECK(client.frames + client.framing_errors > 0);
        CHECK(server.frames + server.framing_errors > 0);
    }
}

TEST_CASE("valid frames with mutated fields decode or fail cleanly", "[ibkr][codec][fuzz]") {
    const std::string fixtures[] = {
        test::nul_fields("1|6|9000|1|150.50|0|1|"),
        test::nul_fields("2|6|9000|0|100|"),
        test::nul_fields("46|6|9000|48|701.28;1;1348075471534;67854;701.46918464;true|"),
        test::nul_fields("50|3|9001|1678323335|4028.75|4029.00|4028.25|4028.50|2|4026.75|1|"),
        test::nul_fields("4|2|-1|2104|Market data farm connection is OK:usfarm||"),
        test::nul_fields("99|9001|3|1678745793|3895.50|3896.00|9|11|3|"),
        test::nul_fields("1|11|5|0|AAPL|STK||0.0|||SMART||USD|||0||0|0||"),
    };
    std::mt19937 random(99);
    std::uniform_int_distribution<int> byte(0, 255);
    // Each decoder sees every mutated payload on its own (not only what the other one
    // accepted); both must meet accepted and refused payloads, so both paths are exercised.
    Outcomes server;
    Outcomes client;
    for (int round = 0; round < 5000; ++round) {
        std::string payload = fixtures[static_cast<std::size_t>(round) % std::size(fixtures)];
        std::uniform_int_distribution<std::size_t> position(0, payload.size() - 1);
        const int mutations = 1 + round % 4;
        for (int index = 0; index < mutations; ++index) {
            payload[position(random)] = static_cast<char>(byte(random));
        }
        if (round % 7 == 0) {
            payload.resize(position(random));
        }
        NullServerHandler server_handler;
        NullClientHandler client_handler;
        server.count([&] { decode_server_message(payload, 176, server_handler); });
        client.count([&] { decode_client_message(payload, 176, client_handler); });
    }
    INFO("server decoder: " << server.decoded << " decoded, " << server.malformed << " malformed; client decoder: "
                            << client.decoded << " decoded, " << client.malformed << " malformed");
    CHECK(server.decoded > 0);
    CHECK(server.malformed > 0);
    CHECK(client.decoded > 0);
    CHECK(client.malformed > 0);
}
