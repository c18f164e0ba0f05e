#include "sinks/nats/nats_sink.hpp"

#include "config/env_overrides.hpp"
#include "sinks/event_fields.hpp"
#include "sinks/nats/nats_message_plan.hpp"
#include "sinks/nats/nats_subject.hpp"

#include <mdp/wire/event_codec.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace mdp::sinks {

namespace {

// Room left in a message for its headers (subject, ids, format) beside the payload.
constexpr std::size_t kHeaderAllowanceBytes = 4096;

}  // namespace

NatsSink::NatsSink(std::string name, NatsSinkOptions options)
    : SinkBase(std::move(name), std::string(kNatsSinkType.name)), options_(std::move(options)),
      breaker_(options_.circuit_failure_threshold, options_.circuit_cooldown) {
    publish_circuit_state();
}

NatsSink::~NatsSink() = default;

std::string NatsSink::destination() const {
    return "NATS " + servers_text(options_.servers) + ", stream " + options_.stream + ", subjects " +
           options_.subject_prefix + ".>";
}

void NatsSink::open(const SinkContext& context) {
    context_ = context;
    try {
        jetstream_ = std::make_unique<NatsJetStream>(options_, name());
        jetstream_->ensure_stream();
    } catch (const NatsError& error) {
        stats_recorder().add_error(error.kind());
        jetstream_.reset();
        throw;
    }
    max_payload_bytes_ = jetstream_->max_payload_bytes();
    const std::size_t fitting_records =
        max_payload_bytes_ > 2 * kHeaderAllowanceBytes
            ? (max_payload_bytes_ - 2 * kHeaderAllowanceBytes) / wire::kBinaryRecordBytes
            : 1;
    max_events_per_message_ = std::max<std::size_t>(1, std::min(options_.max_events_per_message, fitting_records));
}

void NatsSink::write(std::span<const pipeline::StoreEvent> batch) {
    start_write(batch);
    finish_write();
}

void NatsSink::start_write(std::span<const pipeline::StoreEvent> batch) {
    if (jetstream_ == nullptr) {
        throw SinkError("nats sink " + name() + " is not open");
    }
    if (!breaker_.allow_attempt(CircuitBreaker::Clock::now())) {
        stats_recorder().add_error("circuit_open");
        forget_unconfirmed();
        throw SinkError("circuit open after " + std::to_string(breaker_.consecutive_failures()) +
                        " failed writes; next attempt in " +
                        std::to_string(breaker_.remaining_cooldown(CircuitBreaker::Clock::now()).count()) + " ms");
    }
    try {
        publish_batch(batch);
    } catch (const NatsError& error) {
        fail(error);
    }
    unconfirmed_counts_.push_back(count_event_types(batch));
}

void NatsSink::finish_write() {
    NatsPubAckTally tally;
    try {
        tally = jetstream_->wait_for_oldest_write();
    } catch (const NatsError& error) {
        fail(error);
    }
    messages_stored_ += tally.stored;
    messages_duplicate_ += tally.duplicates;
    if (tally.duplicates > 0) {
        spdlog::info("nats sink {}: stream {} dropped {} repeated messages (already stored before a lost PubAck)",
                     name(), options_.stream, tally.duplicates);
    }
    breaker_.record_success();
    publish_circuit_state();
    stats_recorder().add_rows_by_type(unconfirmed_counts_.front());
    unconfirmed_counts_.pop_front();
}

void NatsSink::fail(const NatsError& error) {
    stats_recorder().add_error(error.kind());
    breaker_.record_failure(CircuitBreaker::Clock::now());
    publish_circuit_state();
    forget_unconfirmed();
    throw error;
}

void NatsSink::forget_unconfirmed() {
    jetstream_->forget_writes();
    unconfirmed_counts_.clear();
}

void NatsSink::publish_batch(std::span<const pipeline::StoreEvent> batch) {
    jetstream_->begin_write();
    for (const PlannedMessage& message : plan_messages(batch, max_events_per_message_)) {
        publish_events(batch, message.indices, message.type);
    }
}

void NatsSink::publish_events(std::span<const pipeline::StoreEvent> batch, std::span<const std::uint32_t> indices,
                              common::EventType type) {
    // Every event of a planned message has the same identity's provider and run id.
    const StoredIdentity identity = stored_identity(context_, batch[indices.front()]);
    const auto event_at = [&](std::size_t i) {
        const pipeline::StoreEvent& record = batch[indices[i]];
        return wire::EventRef{stored_identity(context_, record).sequence, &record.event};
    };
    wire::encode_batch(options_.encoding, payload_, identity.provider, identity.run_id, indices.size(), event_at);
    if (payload_.size() + kHeaderAllowanceBytes > max_payload_bytes_ && indices.size() > 1) {
        const std::size_t half = indices.size() / 2;
        publish_events(batch, indices.first(half), type);
        publish_events(batch, indices.subspan(half), type);
        return;
    }
    const pipeline::StoreEvent& first = batch[indices.front()];
    const std::uint64_t last_seq = stored_identity(context_, batch[indices.back()]).sequence;
    const std::string subject =
        event_subject(options_.subject_prefix, identity.provider, type, fixed_text(first.event.symbol));
    const NatsMessageHeaders headers{wire::format_id(options_.encoding), identity.provider, identity.run_id,
                                     indices.size()};
    jetstream_->publish(subject, message_id(identity.provider, identity.run_id, identity.sequence, last_seq), headers,
                        payload_);
}

void NatsSink::close() { jetstream_.reset(); }

void NatsSink::publish_circuit_state() { stats_recorder().set_circuit_state(circuit_state_name(breaker_.state())); }

std::unique_ptr<Sink> create_nats_sink(const config::SinkConfig& config, config::JsonNode& node) {
    return std::make_unique<NatsSink>(config.name,
                                      read_nats_sink_options(node, config.settings, config::mdp_environment()));
}

}  // namespace mdp::sinks
