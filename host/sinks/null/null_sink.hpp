#pragma once
// The `null` sink: stores nothing and counts what it was given (its stats' rows_by_table is
// keyed by event type: quote, trade, bar), for benchmarks and for runs that only need the
// metrics. Keys: type, name, write_latency_ms
// (each write takes that long: a stand-in for a remote database's round trip, so a benchmark
// of several store hosts measures how they share the work, not the CPUs of one machine).

#include "sinks/sink.hpp"
#include "sinks/sink_base.hpp"
#include "sinks/sink_type.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace mdp::sinks {

class NullSink final : public SinkBase {
   public:
    explicit NullSink(std::string name, std::chrono::milliseconds write_latency = std::chrono::milliseconds(0));

    void open(const SinkContext& context) override;
    void write(std::span<const pipeline::StoreEvent> batch) override;
    void close() override;

    // [any thread] Events and batches accepted so far.
    [[nodiscard]] std::uint64_t events_written() const { return events_written_.load(); }
    [[nodiscard]] std::uint64_t batches_written() const { return batches_written_.load(); }

   private:
    std::chrono::milliseconds write_latency_;
    std::atomic<std::uint64_t> events_written_{0};
    std::atomic<std::uint64_t> batches_written_{0};
};

// The "null" entry of the sink registry (sinks/sink_registry.cpp): reads write_latency_ms;
// builds a NullSink.
std::unique_ptr<Sink> create_null_sink(const config::SinkConfig& config, config::JsonNode& node);
inline constexpr SinkType kNullSinkType{"null", "sinks.md#null", &create_null_sink};

}  // namespace mdp::sinks
