#include "sinks/null/null_sink.hpp"

#include "sinks/event_fields.hpp"

#include <thread>

namespace mdp::sinks {

NullSink::NullSink(std::string name, std::chrono::milliseconds write_latency)
    : SinkBase(std::move(name), std::string(kNullSinkType.name)), write_latency_(write_latency) {}

void NullSink::open(const SinkContext& /*context*/) {}

void NullSink::write(std::span<const pipeline::StoreEvent> batch) {
    if (write_latency_.count() > 0) {
        std::this_thread::sleep_for(write_latency_);
    }
    stats_recorder().add_rows_by_type(count_event_types(batch));
    events_written_ += batch.size();
    ++batches_written_;
}

void NullSink::close() {}

std::unique_ptr<Sink> create_null_sink(const config::SinkConfig& config, config::JsonNode& node) {
    return std::make_unique<NullSink>(config.name,
                                      std::chrono::milliseconds(node.get_int("write_latency_ms", 0, 60'000, 0)));
}

}  // namespace mdp::sinks
