#pragma once
// The internal store sink interface. A sink receives batches from the store coordinator's
// single thread; it never sees concurrent calls.

#include "pipeline/event_origins.hpp"
#include "pipeline/store_event.hpp"

#include <cstdint>
#include <initializer_list>
#include <map>
#include <span>
#include <array>
#include <atomic>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <string>
#include <vector>

namespace mdp::sinks {

// Provider instance names by StoreEvent::provider_id, shared by every copy: a provider
// added by a config reload gets the next id, and the host appends its name before that
// provider can publish, so sinks opened at start name its events too. Append-only, so a
// name once read never changes; reads are lock-free.
class ProviderNames {
   public:
    static constexpr std::size_t kCapacity = 1024;  // instances over a host's life, reloads included

    ProviderNames() : ProviderNames(std::vector<std::string>{}) {}
    // Implicit: a list of names is a ProviderNames.
    ProviderNames(std::vector<std::string> names)  // NOLINT(google-explicit-constructor)
        : table_(std::make_shared<Table>()) {
        for (auto& name : names) {
            push_back(std::move(name));
        }
    }

    ProviderNames(std::initializer_list<std::string> names)  // NOLINT(google-explicit-constructor)
        : ProviderNames(std::vector<std::string>(names)) {}

    // [control-thread] Appends the name of the next id; throws std::length_error when full.
    void push_back(std::string name) {
        const std::size_t count = table_->count.load(std::memory_order_relaxed);
        if (count == kCapacity) {
            throw std::length_error("more than " + std::to_string(kCapacity) + " provider instances");
        }
        table_->names[count] = std::move(name);
        table_->count.store(count + 1, std::memory_order_release);
    }
    // [any-thread] The name of `id`; "" when out of range.
    [[nodiscard]] std::string_view at(std::uint32_t id) const noexcept {
        return id < table_->count.load(std::memory_order_acquire) ? std::string_view(table_->names[id])
                                                                  : std::string_view();
    }
    [[nodiscard]] std::size_t size() const noexcept { return table_->count.load(std::memory_order_acquire); }

   private:
    struct Table {
        std::array<std::string, kCapacity> names;
        std::atomic<std::size_t> count{0};
    };
    std::shared_ptr<Table> table_;
};

// What every sink may need to know about the run it stores for.
struct SinkContext {
    std::string run_id;  // unique per host run (hex), for idempotent keys
    ProviderNames provider_names;  // index = StoreEvent::provider_id
    pipeline::EventOrigins origins{};  // by StoreEvent::origin_id, for events published with an identity
};

// Thrown by a sink when it cannot open or write; the message says why (never secrets).
class SinkError : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
};

// What a sink reports about itself beyond what the coordinator counts (events stored,
// batches, write durations). Plain values; empty maps / "" when a sink has nothing to say.
struct SinkStats {
    std::map<std::string, std::uint64_t> rows_by_table;  // rows inserted or updated, per table
    std::map<std::string, std::uint64_t> errors_by_kind;  // failed attempts by kind ("connect", "locked", ...)
    std::string circuit_state;  // "closed", "open", "half_open"; "" for sinks without one
};

class Sink {
   public:
    virtual ~Sink() = default;

    // Instance name from the config (unique among sinks) and the sink type ("sqlite", ...).
    [[nodiscard]] virtual const std::string& name() const = 0;
    [[nodiscard]] virtual const std::string& type() const = 0;

    // [coordinator thread, may block] Prepare for writing (open files, create tables).
    // Throws SinkError with a reason that names what failed.
    virtual void open(const SinkContext& context) = 0;

    // [coordinator thread, may block] Store one batch, all or nothing: on SinkError nothing
    // of the batch may be considered stored, and the coordinator retries the same batch.
    // Writing a batch twice must not store its events twice (idempotent sinks) or, for
    // sinks that cannot promise that, is documented as at-least-once.
    virtual void write(std::span<const pipeline::StoreEvent> batch) = 0;

    // Pipelined writes, for a sink whose write mostly waits for a remote acknowledgement (a
    // message log's PubAck): it may take further batches before the first is confirmed, up
    // to max_pending_writes() started and not yet finished. With 1 (the default) write() is
    // the whole story; start_write() is write() and finish_write() does nothing.
    // A sink returning N > 1 promises:
    //  - [coordinator thread, may block] start_write() hands `batch` over; it may block while
    //    the sink's own in-flight limits are reached. `batch` stays valid until the
    //    finish_write() that confirms it or until the sink threw.
    //  - [coordinator thread, may block] finish_write() returns once the oldest started and
    //    unconfirmed write is stored, all of it.
    //  - A SinkError from either forgets every started and unconfirmed write: none of them
    //    counts as stored, and the coordinator writes each again, oldest first, with write().
    //  - write() is called only with no write started and unconfirmed.
    // [any thread] Constant for the sink's lifetime.
    [[nodiscard]] virtual std::size_t max_pending_writes() const { return 1; }
    virtual void start_write(std::span<const pipeline::StoreEvent> batch) { write(batch); }
    virtual void finish_write() {}

    // [coordinator thread] Flush buffered output and release resources. Idempotent.
    virtual void close() = 0;

    // [any thread] The most events this sink would like per write() when a backlog exists;
    // 0 = no preference (the store's batch_size). The coordinator hands every sink batches
    // up to the largest preference (capped at the queue's capacity), so a sink whose cost is
    // per write (a commit's WAL flush) catches up with a backlog in fewer, larger writes.
    // Constant for the sink's lifetime.
    [[nodiscard]] virtual std::size_t preferred_batch_size() const { return 0; }

    // [any thread, non-blocking] A copy of this sink's own counters (see SinkStats).
    [[nodiscard]] virtual SinkStats stats() const { return {}; }

    // [any thread, non-blocking] Where this sink's data goes, for the log line at start: an
    // absolute file path, "stdout", or a database target without credentials. "" when the
    // sink keeps nothing (null).
    [[nodiscard]] virtual std::string destination() const { return {}; }
};

}  // namespace mdp::sinks
