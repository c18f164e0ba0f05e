#pragma once
// Thread-safe accumulation of a sink's SinkStats: the coordinator thread records, any thread
// (HTTP, shutdown summary) takes copies. One short lock per call; sinks call it per batch or
// per failed attempt, never per event.

#include "sinks/event_fields.hpp"
#include "sinks/sink.hpp"

#include <cstdint>
#include <mutex>
#include <string>

namespace mdp::sinks {

class SinkStatsRecorder {
   public:
    void add_rows(const std::string& table, std::uint64_t rows);
    // Rows per event type name ("quote", "trade", "bar").
    void add_rows_by_type(const EventTypeCounts& counts);
    void add_error(const std::string& kind);
    void set_circuit_state(const std::string& state);

    [[nodiscard]] SinkStats snapshot() const;

   private:
    mutable std::mutex mutex_;
    SinkStats stats_;
};

}  // namespace mdp::sinks
