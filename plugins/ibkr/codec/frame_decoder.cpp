#include "frame_decoder.hpp"

#include "decode_error.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

namespace mdp::ibkr {

namespace {

std::uint32_t read_big_endian_u32(const char* bytes) noexcept {
    const auto* u = reinterpret_cast<const unsigned char*>(bytes);
    return (std::uint32_t{u[0]} << 24) | (std::uint32_t{u[1]} << 16) | (std::uint32_t{u[2]} << 8) | std::uint32_t{u[3]};
}

}  // namespace

FrameDecoder::FrameDecoder(std::size_t max_payload_bytes)
    : max_payload_bytes_(max_payload_bytes), buffer_(kDefaultReadBytes) {}

void FrameDecoder::make_room(std::size_t bytes) {
    if (buffer_.size() - end_ >= bytes) {
        return;
    }
    // Move the unconsumed tail to the front first; grow only if that is not enough.
    if (begin_ > 0) {
        std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    if (buffer_.size() - end_ < bytes) {
        buffer_.resize(end_ + bytes);
    }
}

std::span<char> FrameDecoder::writable(std::size_t min_bytes) {
    std::size_t wanted = min_bytes;
    // When a frame's header is in, reserve the rest of that frame in one go.
    if (end_ - begin_ >= wire::kFrameHeaderBytes) {
        const std::size_t frame_bytes = wire::kFrameHeaderBytes + read_big_endian_u32(buffer_.data() + begin_);
        if (frame_bytes <= wire::kFrameHeaderBytes + max_payload_bytes_ && frame_bytes > end_ - begin_) {
            wanted = std::max(wanted, frame_bytes - (end_ - begin_));
        }
    }
    if (begin_ == end_) {
        begin_ = end_ = 0;  // cheap reset while empty keeps reads aligned at the front
        // Shrink back after a huge frame was consumed, so one outlier does not pin 16 MiB for
        // the connection's lifetime.
        if (buffer_.size() > 4 * kDefaultReadBytes && wanted < buffer_.size() / 2) {
            buffer_.resize(std::max(kDefaultReadBytes, wanted));
            buffer_.shrink_to_fit();
        }
    }
    make_room(wanted);
    return {buffer_.data() + end_, buffer_.size() - end_};
}

void FrameDecoder::commit(std::size_t bytes) { end_ = std::min(end_ + bytes, buffer_.size()); }

void FrameDecoder::append(std::string_view bytes) {
    make_room(bytes.size());
    std::memcpy(buffer_.data() + end_, bytes.data(), bytes.size());
    end_ += bytes.size();
}

std::optional<std::string_view> FrameDecoder::next_frame() {
    const std::size_t available = end_ - begin_;
    if (available < wire::kFrameHeaderBytes) {
        return std::nullopt;
    }
    const std::uint32_t length = read_big_endian_u32(buffer_.data() + begin_);
    if (length > max_payload_bytes_) {
        throw FramingError("frame length " + std::to_string(length) + " exceeds the limit of " +
                           std::to_string(max_payload_bytes_) + " bytes");
    }
    if (available < wire::kFrameHeaderBytes + length) {
        return std::nullopt;
    }
    const std::string_view payload(buffer_.data() + begin_ + wire::kFrameHeaderBytes, length);
    begin_ += wire::kFrameHeaderBytes + length;
    return payload;
}

std::optional<std::string_view> FrameDecoder::take_raw(std::size_t count) {
    if (end_ - begin_ < count) {
        return std::nullopt;
    }
    const std::string_view bytes(buffer_.data() + begin_, count);
    begin_ += count;
    return bytes;
}

void FrameDecoder::reset() noexcept { begin_ = end_ = 0; }

}  // namespace mdp::ibkr
