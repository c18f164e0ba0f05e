#include "sinks/sink_stats_recorder.hpp"

namespace mdp::sinks {

void SinkStatsRecorder::add_rows(const std::string& table, std::uint64_t rows) {
    const std::lock_guard lock(mutex_);
    stats_.rows_by_table[table] += rows;
}

void SinkStatsRecorder::add_rows_by_type(const EventTypeCounts& counts) {
    const std::lock_guard lock(mutex_);
    for (const common::EventType type : common::kEventTypes) {
        if (counts[type] > 0) {
            stats_.rows_by_table[std::string(to_string(type))] += counts[type];
        }
    }
}

void SinkStatsRecorder::add_error(const std::string& kind) {
    const std::lock_guard lock(mutex_);
    ++stats_.errors_by_kind[kind];
}

void SinkStatsRecorder::set_circuit_state(const std::string& state) {
    const std::lock_guard lock(mutex_);
    stats_.circuit_state = state;
}

SinkStats SinkStatsRecorder::snapshot() const {
    const std::lock_guard lock(mutex_);
    return stats_;
}

}  // namespace mdp::sinks
