#include "sink_test_events.hpp"

#include <mdp/plugin.hpp>

namespace mdp::test {

namespace {

pipeline::StoreEvent make_event(std::uint64_t sequence, std::uint16_t type, const std::string& symbol) {
    pipeline::StoreEvent record{};
    record.event.size = sizeof(mdp_event_t);
    record.event.type = type;
    record.event.event_time_ns = 1'700'000'000'000'000'000 + static_cast<std::int64_t>(sequence) * 1000;
    record.event.receive_time_ns = record.event.event_time_ns + 500;
    sdk::copy_fixed(record.event.symbol, symbol);
    record.sequence = sequence;
    record.provider_id = 0;
    return record;
}

}  // namespace

pipeline::StoreEvent make_quote(std::uint64_t sequence, const std::string& symbol, double bid) {
    auto record = make_event(sequence, MDP_EVENT_QUOTE, symbol);
    record.event.body.quote = {bid, bid + 0.02, 100.0, 200.0, bid + 0.01};
    return record;
}

pipeline::StoreEvent make_trade(std::uint64_t sequence, const std::string& symbol, double price) {
    auto record = make_event(sequence, MDP_EVENT_TRADE, symbol);
    record.event.body.trade.price = price;
    record.event.body.trade.size = 10.0;
    sdk::copy_fixed(record.event.body.trade.exchange, "NASDAQ");
    sdk::copy_fixed(record.event.body.trade.conditions, "@");
    return record;
}

pipeline::StoreEvent make_bar(std::uint64_t sequence, std::int64_t start_ns, double close, const std::string& symbol,
                              std::int64_t interval_ns) {
    auto record = make_event(sequence, MDP_EVENT_BAR, symbol);
    record.event.event_time_ns = start_ns;
    record.event.body.bar = {interval_ns, close - 1.0, close + 1.0, close - 2.0, close, 1000.0, close - 0.5, 42};
    return record;
}

std::vector<pipeline::StoreEvent> make_mixed_batch(int quotes, int trades, int bars, std::uint64_t first_sequence) {
    std::vector<pipeline::StoreEvent> batch;
    std::uint64_t sequence = first_sequence;
    for (int index = 0; index < quotes; ++index) {
        batch.push_back(make_quote(sequence++));
    }
    for (int index = 0; index < trades; ++index) {
        batch.push_back(make_trade(sequence++));
    }
    for (int index = 0; index < bars; ++index) {
        const std::int64_t start_ns = 1'700'000'000'000'000'000 + static_cast<std::int64_t>(sequence) * 5'000'000'000;
        batch.push_back(make_bar(sequence++, start_ns));
    }
    return batch;
}

sinks::SinkContext make_context(const std::string& run_id, std::vector<std::string> providers) {
    return {run_id, std::move(providers)};
}

RelayedBatch make_relayed_batch(const std::string& run_id, std::uint64_t first_sequence) {
    RelayedBatch relayed{make_context(run_id, {"relay"}), make_mixed_batch(3, 2, 0)};
    const std::uint32_t origin_id = relayed.context.origins.intern("ingest-a", "ingest-run-9");
    for (std::size_t index = 0; index < relayed.events.size(); ++index) {
        relayed.events[index].sequence = first_sequence + index;
        relayed.events[index].origin_id = origin_id;
        relayed.events[index].origin_sequence = 100 + index;
    }
    return relayed;
}

config::SinkConfig make_sink_config(const nlohmann::json& object, const std::string& config_file, std::size_t index) {
    config::SinkConfig sink;
    sink.type = object.value("type", "");
    sink.name = object.value("name", sink.type);
    sink.settings.value = object;
    sink.settings.path = "store.sinks[" + std::to_string(index) + "]";
    auto origin = std::make_shared<config::ConfigOrigin>();
    origin->file = config_file;
    sink.settings.origin = origin;
    return sink;
}

}  // namespace mdp::test
