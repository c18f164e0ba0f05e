#include "sinks/null_sink.hpp"

#include "sinks/event_fields.hpp"

#include <array>

namespace mdp::sinks {

NullSink::NullSink(std::string name) : name_(std::move(name)) {}

void NullSink::open(const SinkContext& /*context*/) {}

void NullSink::write(std::span<const pipeline::StoreEvent> batch) {
    // Index 0 collects unknown types; MDP_EVENT_QUOTE..BAR are 1..3.
    std::array<std::uint64_t, 4> by_type{};
    for (const auto& record : batch) {
        const std::uint16_t type = record.event.type;
        ++by_type[type <= MDP_EVENT_BAR ? type : 0];
    }
    for (std::uint16_t type = MDP_EVENT_QUOTE; type <= MDP_EVENT_BAR; ++type) {
        if (by_type[type] > 0) {
            stats_.add_rows(std::string(event_type_name(type)), by_type[type]);
        }
    }
    if (by_type[0] > 0) {
        stats_.add_skipped(by_type[0]);
    }
    events_written_ += batch.size();
    ++batches_written_;
}

void NullSink::close() {}

}  // namespace mdp::sinks
