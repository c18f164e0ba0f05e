#pragma once
// The control channel between the host and an isolated provider's runner: one Unix stream
// socket carrying small framed messages, [u32 length][u32 type][payload of length - 4 bytes],
// all integers little-endian as this machine writes them (both ends are one build on one
// machine). Events never cross here: they go through the shared ring (event_ring.hpp).
//
// Payloads are written and read field by field with PayloadWriter / PayloadReader; a reader
// that runs past its payload throws, so a malformed message is an error, never a misread.

#include <cstdint>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mdp::isolation {

// Largest payload either end accepts (a provider's config object as JSON text is the
// largest thing sent).
inline constexpr std::uint32_t kMaxPayloadBytes = 16U * 1024U * 1024U;

class PayloadWriter {
   public:
    PayloadWriter& u32(std::uint32_t value) { return raw(&value, sizeof(value)); }
    PayloadWriter& i32(std::int32_t value) { return raw(&value, sizeof(value)); }
    PayloadWriter& u64(std::uint64_t value) { return raw(&value, sizeof(value)); }
    PayloadWriter& i64(std::int64_t value) { return raw(&value, sizeof(value)); }
    PayloadWriter& f64(double value) { return raw(&value, sizeof(value)); }
    PayloadWriter& text(std::string_view value);
    [[nodiscard]] const std::string& bytes() const { return bytes_; }

   private:
    PayloadWriter& raw(const void* data, std::size_t size);
    std::string bytes_;
};

class MalformedMessage : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
};

class PayloadReader {
   public:
    explicit PayloadReader(std::string_view bytes) : bytes_(bytes) {}
    std::uint32_t u32() { return number<std::uint32_t>(); }
    std::int32_t i32() { return number<std::int32_t>(); }
    std::uint64_t u64() { return number<std::uint64_t>(); }
    std::int64_t i64() { return number<std::int64_t>(); }
    double f64() { return number<double>(); }
    std::string text();

   private:
    template <typename T>
    T number() {
        T value{};
        take(&value, sizeof(value));
        return value;
    }
    void take(void* target, std::size_t size);
    std::string_view bytes_;
};

struct Message {
    std::uint32_t type = 0;
    std::string payload;
};

// Owns the socket. send() may be called from any thread (serialised); receive() from one.
class MessageChannel {
   public:
    explicit MessageChannel(int fd) : fd_(fd) {}
    ~MessageChannel();
    MessageChannel(const MessageChannel&) = delete;
    MessageChannel& operator=(const MessageChannel&) = delete;

    [[nodiscard]] int fd() const { return fd_; }
    // [any-thread] Writes one whole message; false when the peer is gone.
    bool send(std::uint32_t type, const PayloadWriter& payload = {}) { return write_frame(type, payload, false); }
    // [any-thread] The same, but gives up (false) instead of waiting when the socket's buffer
    // is full because the peer does not read: for a caller that must not block. A frame is
    // never cut: once its first byte is written, the rest is.
    bool try_send(std::uint32_t type, const PayloadWriter& payload = {}) { return write_frame(type, payload, true); }
    // [one thread] Blocks for the next whole message; nullopt when the peer closed the
    // channel or sent a frame larger than kMaxPayloadBytes (the channel is then unusable).
    std::optional<Message> receive();

   private:
    bool write_frame(std::uint32_t type, const PayloadWriter& payload, bool unless_full);
    bool read_exactly(void* target, std::size_t size);

    int fd_;
    std::mutex send_mutex_;
};

}  // namespace mdp::isolation
