#pragma once
// One connection to NATS with its JetStream context, as the `nats` sink uses it: connect
// (with a few attempts at start; afterwards the client reconnects by itself, forever, and
// buffers publishes while it does), make sure the stream exists, publish asynchronously with
// a bounded number of messages in flight, and wait until every PubAck arrived.
//
// Threads: every member is called from one thread (the store coordinator's); the client's
// own thread delivers PubAcks into the tally (under its lock). The destructor first takes
// back every message still awaiting its PubAck, so no acknowledgement callback starts after
// it began.

#include "sinks/nats/nats_sink_options.hpp"
#include "sinks/sink.hpp"

#include <nats/nats.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

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

// What came back for the messages published since the last reset.
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

    // Starts a new write: forgets PubAcks of messages a failed write left behind.
    void begin_write();
    // Hands one message to the client without waiting for its PubAck; blocks while
    // max_in_flight messages await theirs (up to the publish timeout). Throws NatsError.
    void publish(const std::string& subject, const std::string& message_id, const NatsMessageHeaders& headers,
                 const std::string& payload);
    // Waits until every message published since begin_write() has its PubAck. Throws
    // NatsError ("timeout" when some did not arrive in time, "publish" when the server
    // refused one); on success returns the tally.
    NatsPubAckTally wait_for_pub_acks();

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
    std::uint64_t published_in_write_ = 0;
    bool published_async_ = false;
    mutable std::mutex tally_mutex_;
    NatsPubAckTally tally_;  // guarded by tally_mutex_
};

}  // namespace mdp::sinks
