#pragma once
// What the `nats` provider counts, and the status-page detail made of it. Counters only grow
// (since the instance was created); the last error is kept until the next one.
//
// Threads: counters are bumped on the fetching and acknowledging threads and read by the
// reporting one, so each is atomic; last_error is under its own lock.

#include <mdp/sdk/metric_set.hpp>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace mdp::nats_provider {

class ConsumerStats {
   public:
    // Declares the counters below (and the pending acks gauge) as the provider's metrics:
    // mdp_plugin_nats_<name>{provider="..."} on /metrics. Call in the provider's constructor.
    [[nodiscard]] static sdk::MetricSet declare_metrics(const sdk::Host& host) {
        return sdk::MetricSet(
            host,
            {{"messages_fetched_total", "JetStream messages fetched from the consumer.", sdk::MetricKind::counter},
             {"events_fetched_total", "Events in the messages fetched.", sdk::MetricKind::counter},
             {"messages_redelivered_total", "Messages fetched with a delivery count above 1.",
              sdk::MetricKind::counter},
             {"messages_acked_total", "Messages acknowledged once every event of them was stored.",
              sdk::MetricKind::counter},
             {"messages_nakked_total",
              "Messages handed back for redelivery (an event of them was dropped, or at stop).",
              sdk::MetricKind::counter},
             {"messages_terminated_total", "Unreadable messages terminated (never redelivered).",
              sdk::MetricKind::counter},
             {"messages_kept_total", "Unreadable messages nakked with a delay for a newer reader.",
              sdk::MetricKind::counter},
             {"fetch_errors_total", "Failed pull requests.", sdk::MetricKind::counter},
             {"pending_acks", "Messages published into the host and not yet stored.", sdk::MetricKind::gauge}});
    }

    // [any thread] Sets the declared metrics to the counters' values now.
    void publish(const sdk::MetricSet& metrics, std::size_t pending_acks) const {
        const std::atomic<std::uint64_t>* counters[] = {&messages_fetched, &events_fetched,  &messages_redelivered,
                                                        &messages_acked,   &messages_nakked, &messages_terminated,
                                                        &messages_kept,    &fetch_errors};
        std::uint32_t index = 0;
        for (const auto* counter : counters) {
            metrics.set(index++, static_cast<double>(counter->load(std::memory_order_relaxed)));
        }
        metrics.set(index, static_cast<double>(pending_acks));
    }

    std::atomic<std::uint64_t> messages_fetched{0};
    std::atomic<std::uint64_t> events_fetched{0};
    std::atomic<std::uint64_t> messages_redelivered{0};  // fetched with a delivery count above 1
    std::atomic<std::uint64_t> messages_acked{0};  // every event stored
    std::atomic<std::uint64_t> messages_nakked{0};  // some event dropped by this host: redelivered
    std::atomic<std::uint64_t> messages_terminated{0};  // unreadable, policy terminate
    std::atomic<std::uint64_t> messages_kept{0};  // unreadable for now (newer format), policy keep
    std::atomic<std::uint64_t> fetch_errors{0};

    void set_last_error(std::string error) {
        std::lock_guard lock(mutex_);
        last_error_ = std::move(error);
    }
    [[nodiscard]] std::string last_error() const {
        std::lock_guard lock(mutex_);
        return last_error_;
    }

    // "consumer mdp-store on MDP_EVENTS: fetched 12, events 48000, redelivered 1, acked 11,
    //  nakked 0, pending 1, terminated 0, kept 0; last error: ..." (counts of messages but
    //  events; each count after its name, so a reader finds "<name> <count>").
    [[nodiscard]] std::string detail(const std::string& consumer, const std::string& stream,
                                     std::size_t pending_acks) const {
        std::string text = "consumer " + consumer + " on " + stream + ": fetched " + count(messages_fetched) +
                           ", events " + count(events_fetched) + ", redelivered " + count(messages_redelivered) +
                           ", acked " + count(messages_acked) + ", nakked " + count(messages_nakked) + ", pending " +
                           std::to_string(pending_acks) + ", terminated " + count(messages_terminated) + ", kept " +
                           count(messages_kept);
        const std::string error = last_error();
        return error.empty() ? text : text + "; last error: " + error;
    }

   private:
    static std::string count(const std::atomic<std::uint64_t>& counter) {
        return std::to_string(counter.load(std::memory_order_relaxed));
    }

    mutable std::mutex mutex_;
    std::string last_error_;  // guarded by mutex_
};

}  // namespace mdp::nats_provider
