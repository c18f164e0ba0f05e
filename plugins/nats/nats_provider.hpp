#pragma once
// The `nats` provider: the store side of the scale-out transport. It reads event batches the
// ingest tier's `nats` sink wrote into a JetStream stream, through a durable pull consumer that
// any number of store hosts share (JetStream hands each message to one of them), publishes the
// events into its host with their original identity (origin provider, run id, seq), and
// acknowledges a message only once every event of it is stored by the host's sinks.
// docs/scale-out.md has the picture and the guarantees; README.md the keys.
//
// Threads:
//   constructor, start(), stop(), destructor   the host's lifecycle calls
//   fetch thread     pulls messages (fewer as the rate scale falls, none at 0), decodes and
//                    publishes them, records them in the ledger; reports the status detail
//   ack thread       acknowledges (or naks) messages the ledger says are settled
//   on_settled       the host's store thread: only records the settlement in the ledger
//   on_feedback      the feedback thread: only wakes the fetch thread

#include "ack_ledger.hpp"
#include "consumer_config.hpp"
#include "consumer_stats.hpp"
#include "jetstream_consumer.hpp"
#include "message_reader.hpp"

#include <mdp/plugin.hpp>
#include <mdp/sdk/stored_delivery.hpp>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace mdp::nats_provider {

class NatsProvider final : public sdk::Provider {
   public:
    // Reads the config; throws sdk::ConfigProblem for a bad one, or when the host lacks the
    // stored-acks or publish-identified extension.
    NatsProvider(sdk::Host host, std::string instance_name, std::string_view config_json);
    ~NatsProvider() override { stop(); }
    NatsProvider(const NatsProvider&) = delete;
    NatsProvider& operator=(const NatsProvider&) = delete;

    // Connects (throws ConsumerError naming the servers when it cannot, or the credentials
    // are refused) and starts fetching. A stream that does not exist yet is waited for:
    // the provider reports itself degraded, naming it, and binds once the ingest tier made it.
    void start() override;
    // Stops fetching, waits up to stop_drain_timeout for what it published to be stored and
    // acknowledges it; what is still unsettled is nakked (redelivered to another replica or
    // the next start at once) rather than held until ack_wait.
    void stop() override;
    void on_feedback(const mdp_feedback_t& /*feedback*/) override { wake_fetcher(); }

    // [store thread] From the stored-acks extension.
    void on_settled(const mdp_stored_ack_t& ack) noexcept {
        ledger_.settle(ack.first_sequence, ack.last_sequence, ack.outcome == MDP_SETTLED_DROPPED);
    }

   private:
    void fetch_loop();
    // Binds to the consumer if not yet bound; false (and the reason reported) when it cannot yet.
    bool bind_if_needed();
    void ack_loop();
    // Waits while the rate scale is 0 (or until stop); returns the batch for the current scale.
    int wait_for_fetch_batch();
    void handle(natsMsg* message);
    // Publishes the batch with its identity; false when the host refused it.
    bool publish(natsMsg* message, const wire::EventBatch& batch);
    void reject(natsMsg* message, const ReadMessage& read);
    void settle_done();
    void report_state_if_due();
    void wake_fetcher();

    std::string instance_name_;
    ConsumerConfig config_;
    sdk::StoredAcks stored_acks_;
    sdk::IdentifiedPublisher publisher_;
    ConsumerStats stats_;
    sdk::MetricSet metrics_;
    AckLedger<natsMsg*> ledger_;
    std::unique_ptr<JetStreamConsumer> consumer_;
    std::thread fetch_thread_;
    std::thread ack_thread_;
    std::atomic<bool> fetching_{false};
    std::atomic<bool> acking_{false};
    std::mutex wake_mutex_;
    std::condition_variable wake_;
    std::uint64_t wakeups_ = 0;  // guarded by wake_mutex_
    // Fetch-thread scratch, reused for every message.
    std::vector<mdp_event_t> events_;
    std::vector<std::uint64_t> sequences_;
    std::int64_t next_report_ns_ = 0;
    std::int64_t next_reject_log_ns_ = 0;
    std::string waiting_for_;  // why the provider is not bound yet ("" once bound); fetch thread
};

}  // namespace mdp::nats_provider
