#pragma once
// Splits a TCP byte stream into frame payloads. Robust to partial reads (a frame split
// across any number of reads, even inside its length prefix) and coalesced reads (many
// frames in one read). Memory is bounded: at most one maximal frame plus one read.
//
// Zero-copy use from a socket:
//   auto space = decoder.writable();            // read directly into the buffer
//   decoder.commit(::recv(fd, space.data(), space.size(), 0));
//   while (auto payload = decoder.next_frame()) { ... }   // views into the buffer
//
// A payload view stays valid until the next writable()/append()/reset(). A length prefix
// above the limit throws FramingError: the stream cannot be resynchronised after that.

#include "wire_constants.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace mdp::ibkr {

class FrameDecoder {
   public:
    static constexpr std::size_t kDefaultReadBytes = std::size_t{64} * 1024;

    explicit FrameDecoder(std::size_t max_payload_bytes = wire::kMaxFramePayloadBytes);

    // Free space at the end of the buffer, at least `min_bytes` (and at least what the frame
    // being assembled still needs, so a large frame is read in few calls).
    std::span<char> writable(std::size_t min_bytes = kDefaultReadBytes);
    // Marks `bytes` of the writable span as filled.
    void commit(std::size_t bytes);
    // Copies `bytes` in (tests, the fake gateway, benchmarks).
    void append(std::string_view bytes);

    // The next complete payload, or nullopt when more bytes are needed.
    std::optional<std::string_view> next_frame();
    // `count` raw bytes that are not framed (the "API\0" prefix), or nullopt if not there yet.
    std::optional<std::string_view> take_raw(std::size_t count);

    [[nodiscard]] std::size_t buffered_bytes() const noexcept { return end_ - begin_; }
    // Bytes the buffer holds allocated (for memory-bound checks).
    [[nodiscard]] std::size_t capacity_bytes() const noexcept { return buffer_.size(); }
    void reset() noexcept;

   private:
    void make_room(std::size_t bytes);

    std::size_t max_payload_bytes_;
    std::vector<char> buffer_;
    std::size_t begin_ = 0;  // first unconsumed byte
    std::size_t end_ = 0;  // one past the last filled byte
};

}  // namespace mdp::ibkr
