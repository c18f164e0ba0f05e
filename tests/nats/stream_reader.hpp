#pragma once
// Reads a JetStream stream back with the NATS C client, for the tests' checks: every stored
// message with its subject, headers and payload, decoded with the public wire codec. Also
// publishes a hand-made message, for the cases a well-behaved producer never writes.

#include <mdp/wire/event_batch.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mdp::test {

struct StoredMessage {
    std::uint64_t stream_seq = 0;
    std::string subject;
    std::map<std::string, std::string> headers;
    std::string payload;
};

class StreamReader {
   public:
    // Connects to `url` (throws std::runtime_error when it cannot).
    explicit StreamReader(const std::string& url, const std::string& user = {}, const std::string& password = {});
    ~StreamReader();
    StreamReader(const StreamReader&) = delete;
    StreamReader& operator=(const StreamReader&) = delete;

    // Messages in `stream` now; throws when the stream does not exist.
    [[nodiscard]] std::uint64_t message_count(const std::string& stream) const;
    [[nodiscard]] bool stream_exists(const std::string& stream) const;
    // Every message of `stream`, in stream order.
    [[nodiscard]] std::vector<StoredMessage> read_all(const std::string& stream) const;
    // Publishes one message into JetStream and waits for its PubAck (throws when refused), for
    // tests that put what no mdp host would write on a subject.
    void publish(const std::string& subject, const std::map<std::string, std::string>& headers,
                 const std::string& payload) const;

   private:
    struct Impl;
    Impl* impl_;
};

// Decodes every message (REQUIREs each to decode) and returns their events in stream order.
struct StoredEvent {
    std::string origin;
    std::string run_id;
    std::string subject;
    wire::WireEvent wire;
};
[[nodiscard]] std::vector<StoredEvent> decode_all(const std::vector<StoredMessage>& messages);

}  // namespace mdp::test
