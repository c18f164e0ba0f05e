#include "isolation/message_channel.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mdp::isolation {

PayloadWriter& PayloadWriter::raw(const void* data, std::size_t size) {
    bytes_.append(static_cast<const char*>(data), size);
    return *this;
}

PayloadWriter& PayloadWriter::text(std::string_view value) {
    u32(static_cast<std::uint32_t>(value.size()));
    bytes_.append(value);
    return *this;
}

void PayloadReader::take(void* target, std::size_t size) {
    if (bytes_.size() < size) {
        throw MalformedMessage("control message: payload ends " + std::to_string(size - bytes_.size()) +
                               " bytes early");
    }
    std::memcpy(target, bytes_.data(), size);
    bytes_.remove_prefix(size);
}

std::string PayloadReader::text() {
    const std::uint32_t size = u32();
    if (bytes_.size() < size) {
        throw MalformedMessage("control message: text of " + std::to_string(size) + " bytes runs past the payload");
    }
    std::string value(bytes_.substr(0, size));
    bytes_.remove_prefix(size);
    return value;
}

MessageChannel::~MessageChannel() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

bool MessageChannel::write_frame(std::uint32_t type, const PayloadWriter& payload, bool unless_full) {
    const std::string& body = payload.bytes();
    const auto length = static_cast<std::uint32_t>(body.size() + sizeof(type));
    std::string frame;
    frame.reserve(sizeof(length) + length);
    frame.append(reinterpret_cast<const char*>(&length), sizeof(length));
    frame.append(reinterpret_cast<const char*>(&type), sizeof(type));
    frame.append(body);
    std::lock_guard lock(send_mutex_);
    std::size_t written = 0;
    while (written < frame.size()) {
        // MSG_NOSIGNAL: a peer that died must not kill the writer with SIGPIPE.
        const int flags = MSG_NOSIGNAL | (unless_full && written == 0 ? MSG_DONTWAIT : 0);
        const ssize_t result = ::send(fd_, frame.data() + written, frame.size() - written, flags);
        if (result < 0 && errno == EINTR) {
            continue;
        }
        if (result <= 0) {
            return false;
        }
        written += static_cast<std::size_t>(result);
    }
    return true;
}

bool MessageChannel::read_exactly(void* target, std::size_t size) {
    auto* bytes = static_cast<char*>(target);
    std::size_t done = 0;
    while (done < size) {
        const ssize_t result = ::recv(fd_, bytes + done, size - done, 0);
        if (result < 0 && errno == EINTR) {
            continue;
        }
        if (result <= 0) {
            return false;
        }
        done += static_cast<std::size_t>(result);
    }
    return true;
}

std::optional<Message> MessageChannel::receive() {
    std::uint32_t length = 0;
    Message message;
    if (!read_exactly(&length, sizeof(length)) || length < sizeof(message.type) ||
        length - sizeof(message.type) > kMaxPayloadBytes || !read_exactly(&message.type, sizeof(message.type))) {
        return std::nullopt;
    }
    message.payload.resize(length - sizeof(message.type));
    if (!read_exactly(message.payload.data(), message.payload.size())) {
        return std::nullopt;
    }
    return message;
}

}  // namespace mdp::isolation
