#pragma once
// The `nats` sink: publishes what the store coordinator hands it to a NATS JetStream stream,
// the ingest tier of docs/scale-out.md. Each batch is cut into messages by (provider, type,
// symbol) (nats_message_plan.hpp), each encoded in the wire format of
// plugin-api/include/mdp/wire/ (binary by default, JSON as an option) and published with a
// Nats-Msg-Id made from the events' identity, so a batch published again after a lost PubAck
// is dropped by the stream's duplicate window: exactly once into the stream.
//
// A batch counts as stored once every message of it has its PubAck (stored, or dropped as a
// duplicate of a stored one). The sink is pipelined (Sink::max_pending_writes()): up to
// max_batches_in_flight batches are published before the oldest must be confirmed, so the
// coordinator encodes and publishes the next batch while the stream acknowledges the last;
// at most max_in_flight messages await their PubAck. Any failure (not connected, no PubAck
// within publish_timeout_ms, the stream refusing a message) throws SinkError and forgets every
// unconfirmed batch, which the coordinator then writes again, oldest first, with its backoff,
// while the queue fills and backpressure slows the providers, exactly as for a database
// outage. The client reconnects by itself. After circuit_failure_threshold consecutive
// failures the circuit opens: writes throw at once for circuit_cooldown_ms, then one attempt
// is let through.

#include "sinks/circuit_breaker.hpp"
#include "sinks/event_fields.hpp"
#include "sinks/nats/nats_jetstream.hpp"
#include "sinks/nats/nats_sink_options.hpp"
#include "sinks/sink.hpp"
#include "sinks/sink_type.hpp"
#include "sinks/sink_base.hpp"

#include <atomic>
#include <deque>
#include <memory>
#include <string>

namespace mdp::sinks {

class NatsSink final : public SinkBase {
   public:
    NatsSink(std::string name, NatsSinkOptions options);
    ~NatsSink() override;

    // Connects and makes sure the stream exists; throws SinkError naming what failed.
    void open(const SinkContext& context) override;
    // Publishes and waits for the batch's PubAcks: start_write() and finish_write() at once.
    void write(std::span<const pipeline::StoreEvent> batch) override;
    [[nodiscard]] std::size_t max_pending_writes() const override { return options_.max_batches_in_flight; }
    void start_write(std::span<const pipeline::StoreEvent> batch) override;
    void finish_write() override;
    void close() override;
    // rows_by_table: events newly stored, by type (quote, trade, bar); errors_by_kind:
    // connect, auth, stream, publish, timeout, circuit_open; circuit_state.
    // "NATS <servers>, stream <name>"
    [[nodiscard]] std::string destination() const override;
    [[nodiscard]] std::size_t preferred_batch_size() const override { return options_.preferred_batch_size; }

    // [any thread] Messages the stream acknowledged as new, and as duplicates it dropped.
    [[nodiscard]] std::uint64_t messages_stored() const { return messages_stored_.load(); }
    [[nodiscard]] std::uint64_t messages_duplicate() const { return messages_duplicate_.load(); }

   private:
    void publish_batch(std::span<const pipeline::StoreEvent> batch);
    // Counts a failure, forgets every unconfirmed batch and rethrows `error`.
    [[noreturn]] void fail(const NatsError& error);
    // What a throw from start_write() or finish_write() promises: no batch is unconfirmed.
    void forget_unconfirmed();
    // Publishes the events `indices` of `batch` as one message, or as several when the
    // encoding exceeds the server's max_payload.
    void publish_events(std::span<const pipeline::StoreEvent> batch, std::span<const std::uint32_t> indices,
                        common::EventType type);
    void publish_circuit_state();

    NatsSinkOptions options_;
    SinkContext context_;
    std::unique_ptr<NatsJetStream> jetstream_;
    std::size_t max_payload_bytes_ = 0;
    std::size_t max_events_per_message_ = 0;  // options and max_payload together
    CircuitBreaker breaker_;
    std::string payload_;  // reused encoding buffer
    std::deque<EventTypeCounts> unconfirmed_counts_;  // by type, per unconfirmed batch, oldest first
    std::atomic<std::uint64_t> messages_stored_{0};
    std::atomic<std::uint64_t> messages_duplicate_{0};
};

// The "nats" entry of the sink registry (sinks/sink_registry.cpp): reads the keys (and the
// MDP_NATS_* variables) with read_nats_sink_options() and builds a NatsSink.
std::unique_ptr<Sink> create_nats_sink(const config::SinkConfig& config, config::JsonNode& node);
inline constexpr SinkType kNatsSinkType{"nats", "sinks.md#nats", &create_nats_sink};

}  // namespace mdp::sinks
