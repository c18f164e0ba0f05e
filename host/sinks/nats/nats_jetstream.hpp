#pragma once
// One connection to NATS with its JetStream context, as the `nats` sink uses it: connect
// (with a few attempts at start; afterwards the client reconnects by itself, forever, and
// buffers publishes while it does), make sure the stream exists, publish asynchronously with
// a bounded number of messages in flight, grouped into writes, and wait until every PubAck of
// the oldest write arrived. Several writes may await their PubAcks at once.
//
// Threads: every member is called from one thread (the store coordinator's); the client's
// own thread delivers PubAcks into the writes' tallies (under their lock), matching each to
// its write by its Nats-Msg-Id. The destructor first takes back every message still awaiting
// its PubAck, so no acknowledgement callback starts after it began.

#include "sinks/nats/nats_sink_options.hpp"
#include "sinks/sink.hpp"

#include <nats/nats.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace mdp::sinks {

// A failure talking to NATS. `kind` is the sink's errors_by_kind key: "connect", "auth",
// "stream", "publish", "timeout".
class NatsError : public SinkError {
   public:
    NatsError(std::string kind, const std::string& message) : SinkError(message), kind_(std::move(kind)) {}
    [[nodiscard]] const std::string& kind() const noexcept { return kind_; }

   private:
    std::string kind_;
};

// What came back for the messages of one write.
struct NatsPubAckTally {
    std::uint64_t stored = 0;  // acknowledged as newly stored
    std::uint64_t duplicates = 0;  // acknowledged as a repeat the duplicate window dropped
    std::uint64_t failed = 0;
    std::string first_error;
};

// The headers every message carries besides Nats-Msg-Id.
struct NatsMessageHeaders {
    std::string_view format;  // Mdp-Format
    std::string_view origin;  // Mdp-Origin
    std::string_view run_id;  // Mdp-Run-Id
    std::size_t events = 0;  // Mdp-Events
};

class NatsJetStream {
   public:
    // Connects; throws NatsError ("auth" at once for refused credentials, "connect" after
    // options.connect_attempts attempts).
    NatsJetStream(const NatsSinkOptions& options, const std::string& sink_name);
    ~NatsJetStream();
    NatsJetStream(const NatsJetStream&) = delete;
    NatsJetStream& operator=(const NatsJetStream&) = delete;

    // Creates the stream when it is missing and creation is on; throws NatsError ("stream")
    // naming the stream when it is missing and creation is off, or cannot be created.
    void ensure_stream();

    // The server's largest message, in bytes.
    [[nodiscard]] std::size_t max_payload_bytes() const;

    // Starts a new write: the messages published from now on belong to it.
    void begin_write();
    // Hands one message of the newest write to the client without waiting for its PubAck;
    // blocks while max_in_flight messages await theirs (up to the publish timeout). Throws
    // NatsError.
    void publish(const std::string& subject, const std::string& message_id, const NatsMessageHeaders& headers,
                 const std::string& payload);
    // Waits until every message of the oldest write has its PubAck, and ends that write.
    // Throws NatsError ("timeout" when some did not arrive within the publish timeout,
    // "publish" when the server refused one); on success returns the write's tally.
    NatsPubAckTally wait_for_oldest_write();
    // After a failure: forgets every write and takes back the messages awaiting PubAcks
    // (their acknowledgements, should they still come, count for nothing).
    void forget_writes();

    [[nodiscard]] bool connected() const;

   private:
    static void on_pub_ack(jsCtx* js, natsMsg* msg, jsPubAck* ack, jsPubAckErr* error, void* closure);
    void connect_with_attempts();
    [[nodiscard]] std::size_t discard_pending();

    const NatsSinkOptions& options_;
    std::string sink_name_;  // for the log
    std::string client_name_;  // as the server lists the connection
    natsOptions* nats_options_ = nullptr;
    natsConnection* connection_ = nullptr;
    jsCtx* js_ = nullptr;
    // A write and what came back for it.
    struct Write {
        std::uint64_t published = 0;
        NatsPubAckTally tally;
        [[nodiscard]] bool complete() const { return tally.stored + tally.duplicates + tally.failed >= published; }
    };

    bool published_async_ = false;
    mutable std::mutex writes_mutex_;
    std::condition_variable write_acknowledged_;
    // Guarded by writes_mutex_: the writes, oldest first, numbered from first_write_ on, and
    // the write each message awaiting its PubAck belongs to, by Nats-Msg-Id.
    std::deque<Write> writes_;
    std::uint64_t first_write_ = 0;
    std::unordered_map<std::string, std::uint64_t> write_of_message_;
};

}  // namespace mdp::sinks
