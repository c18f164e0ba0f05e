#include "sinks/sink_stats_recorder.hpp"

namespace mdp::sinks {

void SinkStatsRecorder::add_rows(const std::string& table, std::uint64_t rows) {
    const std::lock_guard lock(mutex_);
    stats_.rows_by_table[table] += rows;
}

void SinkStatsRecorder::add_rows_by_type(const EventTypeCounts& counts, const std::string& unnamed_table) {
    const std::lock_guard lock(mutex_);
    for (std::uint16_t type = MDP_EVENT_QUOTE; type <= MDP_EVENT_BAR; ++type) {
        if (counts[type] > 0) {
            stats_.rows_by_table[std::string(event_type_name(type))] += counts[type];
        }
    }
    if (counts[0] > 0 && !unnamed_table.empty()) {
        stats_.rows_by_table[unnamed_table] += counts[0];
    }
}

void SinkStatsRecorder::add_error(const std::string& kind) {
    const std::lock_guard lock(mutex_);
    ++stats_.errors_by_kind[kind];
}

void SinkStatsRecorder::add_retry() {
    const std::lock_guard lock(mutex_);
    ++stats_.retries;
}

void SinkStatsRecorder::add_skipped(std::uint64_t events) {
    const std::lock_guard lock(mutex_);
    stats_.events_skipped += events;
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
