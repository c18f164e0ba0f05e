// The frame decoder against the ways TCP delivers bytes: one byte at a time, split inside
// the length prefix, many frames in one read, oversized lengths, empty frames.

#include "wire_text.hpp"

#include "codec/decode_error.hpp"
#include "codec/field_writer.hpp"
#include "codec/frame_decoder.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

using namespace mdp::ibkr;
using mdp::ibkr::test::frame_of_fields;
using mdp::ibkr::test::framed;

namespace {

std::vector<std::string> drain(FrameDecoder& decoder) {
    std::vector<std::string> frames;
    while (auto frame = decoder.next_frame()) {
        frames.emplace_back(*frame);
    }
    return frames;
}

// Feeds `stream` in chunks of the given sizes (cycled) through the zero-copy interface.
std::vector<std::string> feed_in_chunks(const std::string& stream, const std::vector<std::size_t>& chunk_sizes) {
    FrameDecoder decoder;
    std::vector<std::string> frames;
    std::size_t offset = 0;
    std::size_t chunk_index = 0;
    while (offset < stream.size()) {
        const std::size_t chunk = std::min(chunk_sizes[chunk_index++ % chunk_sizes.size()], stream.size() - offset);
        auto space = decoder.writable(chunk);
        REQUIRE(space.size() >= chunk);
        std::copy_n(stream.data() + offset, chunk, space.data());
        decoder.commit(chunk);
        offset += chunk;
        for (auto& frame : drain(decoder)) {
            frames.push_back(std::move(frame));
        }
    }
    CHECK(decoder.buffered_bytes() == 0);
    return frames;
}

std::string three_frames() {
    return frame_of_fields("1|6|9000|1|150.50|0|1|") + frame_of_fields("2|6|9000|0|100|") +
           frame_of_fields("57|1|9000|");
}

}  // namespace

TEST_CASE("frames split at every possible byte boundary are reassembled", "[ibkr][codec][framing]") {
    const std::string stream = three_frames();
    const std::vector<std::string> expected = {test::nul_fields("1|6|9000|1|150.50|0|1|"),
                                               test::nul_fields("2|6|9000|0|100|"), test::nul_fields("57|1|9000|")};
    CHECK(feed_in_chunks(stream, {1}) == expected);
    CHECK(feed_in_chunks(stream, {2}) == expected);
    CHECK(feed_in_chunks(stream, {3, 1}) == expected);  // splits inside the length prefix
    CHECK(feed_in_chunks(stream, {stream.size()}) == expected);  // all coalesced in one read
    for (std::size_t split = 1; split < stream.size(); ++split) {
        CHECK(feed_in_chunks(stream, {split, stream.size()}) == expected);
    }
}

TEST_CASE("random chunkings of a long stream yield the same frames", "[ibkr][codec][framing]") {
    std::string stream;
    std::vector<std::string> expected;
    for (int index = 0; index < 2000; ++index) {
        const std::string fields = "1|6|" + std::to_string(index) + "|1|" + std::to_string(100 + index) + ".25|5|0|";
        stream += frame_of_fields(fields);
        expected.push_back(test::nul_fields(fields));
    }
    std::mt19937 random(7);
    std::uniform_int_distribution<std::size_t> sizes(1, 700);
    std::vector<std::size_t> chunk_sizes;
    for (int index = 0; index < 100; ++index) {
        chunk_sizes.push_back(sizes(random));
    }
    CHECK(feed_in_chunks(stream, chunk_sizes) == expected);
}

TEST_CASE("a length above 0xFFFFFF is a framing error", "[ibkr][codec][framing]") {
    FrameDecoder decoder;
    decoder.append(std::string("\x01\x00\x00\x00", 4));
    CHECK_THROWS_AS(decoder.next_frame(), FramingError);

    FrameDecoder small_limit(16);
    small_limit.append(framed(std::string(17, 'x')));
    CHECK_THROWS_AS(small_limit.next_frame(), FramingError);
}

TEST_CASE("a frame of exactly the limit is accepted", "[ibkr][codec][framing]") {
    FrameDecoder decoder(1000);
    const std::string payload(1000, 'a');
    decoder.append(framed(payload));
    const auto frame = decoder.next_frame();
    REQUIRE(frame.has_value());
    CHECK(frame->size() == 1000);
}

TEST_CASE("a large frame arriving in pieces is read without unbounded growth", "[ibkr][codec][framing]") {
    const std::string payload(std::size_t{3} * 1024 * 1024, 'z');
    const std::string stream = framed(payload) + frame_of_fields("57|1|1|");
    FrameDecoder decoder;
    std::size_t offset = 0;
    std::size_t frames = 0;
    while (offset < stream.size()) {
        auto space = decoder.writable(4096);
        const std::size_t chunk = std::min(space.size(), stream.size() - offset);
        std::copy_n(stream.data() + offset, chunk, space.data());
        decoder.commit(chunk);
        offset += chunk;
        frames += drain(decoder).size();
        CHECK(decoder.capacity_bytes() <= payload.size() + 4 + 2 * FrameDecoder::kDefaultReadBytes);
    }
    CHECK(frames == 2);
    // After the big frame is gone the buffer shrinks back.
    (void)decoder.writable();
    CHECK(decoder.capacity_bytes() < std::size_t{1024} * 1024);
}

TEST_CASE("an empty frame is delivered as an empty payload", "[ibkr][codec][framing]") {
    FrameDecoder decoder;
    decoder.append(framed("") + frame_of_fields("57|1|1|"));
    const auto first = decoder.next_frame();
    REQUIRE(first.has_value());
    CHECK(first->empty());
    CHECK(decoder.next_frame().has_value());
    CHECK_FALSE(decoder.next_frame().has_value());
}

TEST_CASE("the raw API prefix is taken before frames", "[ibkr][codec][framing]") {
    FrameDecoder decoder;
    decoder.append(std::string("AP", 2));
    CHECK_FALSE(decoder.take_raw(4).has_value());
    decoder.append(std::string("I\0", 2) + framed("v100..176"));
    const auto prefix = decoder.take_raw(4);
    REQUIRE(prefix.has_value());
    CHECK(*prefix == std::string_view("API\0", 4));
    const auto version = decoder.next_frame();
    REQUIRE(version.has_value());
    CHECK(*version == "v100..176");
}

TEST_CASE("frames written by the field writer are what the decoder reads", "[ibkr][codec][framing]") {
    std::string out;
    append_frame(out, [](FieldWriter& fields) {
        fields.integer(1);
        fields.text("AAPL");
        fields.number(150.5, DoubleStyle::price);
        fields.flag(true);
        fields.empty();
    });
    CHECK(out == framed(test::nul_fields("1|AAPL|150.50|1||")));
    std::string bad;
    CHECK_THROWS_AS(append_frame(bad, [](FieldWriter& fields) { fields.text(std::string_view("a\0b", 3)); }),
                    EncodeError);
}
