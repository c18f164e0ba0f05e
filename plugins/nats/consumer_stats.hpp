#pragma once
// What the `nats` provider counts, and the status-page detail made of it. Counters only grow
// (since the instance was created); the last error is kept until the next one.
//
// Threads: counters are bumped on the fetching and acknowledging threads and read by the
// reporting one, so each is atomic; last_error is under its own lock.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace mdp::nats_provider {

class ConsumerStats {
   public:
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
