#pragma once
// Which JetStream messages may be acknowledged: the link between the host's stored
// acknowledgements (ranges of this instance's publish sequences, settled in order as STORED or
// DROPPED) and the messages those sequences came from.
//
// Each message the provider published is recorded with the publish sequences its events
// took, [first_sequence, last_sequence]. The host settles sequences in order and contiguously,
// so the ledger keeps a watermark (everything up to it is settled) and whether any record of a
// message was dropped. A message is done once its last sequence is at or below the watermark:
// ack it when every record was stored, nak it (redeliver) when any was dropped — the sinks'
// idempotent keys absorb the records of it that were stored.
//
// Threads: record() on the fetching thread, settle() on the host's store thread (must not
// block: only bookkeeping under a short lock), take_done() and take_all() on the acknowledging
// thread. Ownership: the ledger holds each Message until take_done()/take_all() hands it out.
// Message is a handle type (a natsMsg* in the plugin, an integer in the tests).

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <utility>
#include <vector>

namespace mdp::nats_provider {

enum class Settlement { acknowledge, redeliver };

template <typename Message>
struct DoneMessage {
    Message message;
    Settlement settlement;
};

template <typename Message>
class AckLedger {
   public:
    // [fetching thread] A message whose events took publish sequences first..last. Its
    // sequences may already be settled: a refusal at publish is settled inside the publish
    // call, before the caller could record the message.
    void record(Message message, std::uint64_t first_sequence, std::uint64_t last_sequence) {
        std::lock_guard lock(mutex_);
        bool dropped = false;
        for (const auto& range : early_drops_) {
            dropped = dropped || (range.first <= last_sequence && range.second >= first_sequence);
        }
        while (!early_drops_.empty() && early_drops_.front().second <= last_sequence) {
            early_drops_.pop_front();  // recorded messages come in sequence order
        }
        in_flight_.push_back({message, first_sequence, last_sequence, dropped});
    }

    // [store thread] The host settled first..last as stored (or as dropped).
    void settle(std::uint64_t first_sequence, std::uint64_t last_sequence, bool dropped) noexcept {
        {
            std::lock_guard lock(mutex_);
            if (dropped) {
                for (auto& entry : in_flight_) {
                    if (entry.first_sequence <= last_sequence && entry.last_sequence >= first_sequence) {
                        entry.dropped = true;
                    }
                }
                const std::uint64_t recorded_through = in_flight_.empty() ? 0 : in_flight_.back().last_sequence;
                if (last_sequence > recorded_through) {  // not recorded yet: remembered for record()
                    early_drops_.emplace_back(std::max(first_sequence, recorded_through + 1), last_sequence);
                }
            }
            settled_through_ = std::max(settled_through_, last_sequence);
        }
        changed_.notify_all();
    }

    // [acknowledging thread] The messages now done, in publish order (removed from the ledger).
    std::vector<DoneMessage<Message>> take_done() {
        std::vector<DoneMessage<Message>> done;
        std::lock_guard lock(mutex_);
        while (!in_flight_.empty() && in_flight_.front().last_sequence <= settled_through_) {
            const Entry& entry = in_flight_.front();
            done.push_back({entry.message, entry.dropped ? Settlement::redeliver : Settlement::acknowledge});
            in_flight_.pop_front();
        }
        return done;
    }

    // [acknowledging thread] Every message still waiting (removed from the ledger): what a
    // stop hands back for redelivery.
    std::vector<Message> take_all() {
        std::vector<Message> all;
        std::lock_guard lock(mutex_);
        for (const auto& entry : in_flight_) {
            all.push_back(entry.message);
        }
        in_flight_.clear();
        return all;
    }

    // [acknowledging thread] Waits until a message is done, `wake()` was called, or `timeout`.
    template <typename Duration>
    void wait_for_change(Duration timeout) {
        std::unique_lock lock(mutex_);
        const std::uint64_t wakeups_before = wakeups_;
        changed_.wait_for(lock, timeout, [&] {
            return wakeups_ != wakeups_before ||
                   (!in_flight_.empty() && in_flight_.front().last_sequence <= settled_through_);
        });
    }

    // [any thread] Ends a wait_for_change() early.
    void wake() {
        {
            std::lock_guard lock(mutex_);
            ++wakeups_;
        }
        changed_.notify_all();
    }

    [[nodiscard]] std::size_t size() const {
        std::lock_guard lock(mutex_);
        return in_flight_.size();
    }

   private:
    struct Entry {
        Message message;
        std::uint64_t first_sequence;
        std::uint64_t last_sequence;
        bool dropped;
    };

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Entry> in_flight_;  // in publish order; guarded by mutex_
    // Dropped ranges above every recorded sequence, in order; guarded by mutex_.
    std::deque<std::pair<std::uint64_t, std::uint64_t>> early_drops_;
    std::uint64_t settled_through_ = 0;  // every sequence up to here is settled; guarded by mutex_
    std::uint64_t wakeups_ = 0;  // guarded by mutex_
};

}  // namespace mdp::nats_provider
