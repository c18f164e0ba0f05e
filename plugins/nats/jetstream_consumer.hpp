#pragma once
// One connection to NATS and a pull subscription bound to the shared durable consumer, as the
// `nats` provider uses it: connect (a few attempts; afterwards the client reconnects by itself,
// forever), make sure the consumer exists (create it, or require it), fetch messages.
// Acknowledging is done on the messages themselves (message_settlement.hpp).
//
// Threads: construction, bind() and destruction on the control side (the provider's start()
// and stop()); fetch() on the fetching thread only. Ownership: fetch() hands each natsMsg to
// the caller, which destroys it once it is acknowledged.

#include "consumer_config.hpp"

#include <nats/nats.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace mdp::nats_provider {

// A failure talking to NATS, with what it was doing and the client's reason.
class ConsumerError : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
};

// The stream does not exist (yet): the ingest tier's nats sink creates it on its first start,
// so a store host that comes up first waits for it instead of failing.
class StreamMissingError : public ConsumerError {
   public:
    using ConsumerError::ConsumerError;
};

struct FetchResult {
    std::vector<natsMsg*> messages;  // owned by the caller
    std::string error;  // "" when the fetch worked (also when nothing was there)
};

class JetStreamConsumer {
   public:
    // Connects; throws ConsumerError (refused credentials at once, otherwise after
    // config.connect_attempts attempts).
    JetStreamConsumer(const ConsumerConfig& config, const std::string& instance_name);
    ~JetStreamConsumer();
    JetStreamConsumer(const JetStreamConsumer&) = delete;
    JetStreamConsumer& operator=(const JetStreamConsumer&) = delete;

    // Creates the durable consumer when it is missing and create_consumer is on (an existing
    // one is used as it is), then binds the pull subscription to it. Throws StreamMissingError
    // when the stream does not exist, ConsumerError naming the consumer otherwise.
    void bind();

    [[nodiscard]] bool bound() const { return subscription_ != nullptr; }

    // Up to `batch` messages, waiting at most config.fetch_wait when none is there. Requires
    // bound().
    FetchResult fetch(int batch);

    [[nodiscard]] bool connected() const;

   private:
    void connect_with_attempts();
    void ensure_consumer();

    const ConsumerConfig& config_;
    std::string client_name_;  // as the server lists the connection
    natsOptions* options_ = nullptr;
    natsConnection* connection_ = nullptr;
    jsCtx* js_ = nullptr;
    natsSubscription* subscription_ = nullptr;
};

}  // namespace mdp::nats_provider
