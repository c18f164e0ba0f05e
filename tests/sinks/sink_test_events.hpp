#pragma once
// Builders for StoreEvents and sink configs used by the sink tests.

#include "config/host_config.hpp"
#include "pipeline/store_event.hpp"
#include "sinks/sink.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace mdp::test {

// provider_id 0, sequence `sequence`, event time derived from the sequence.
pipeline::StoreEvent make_quote(std::uint64_t sequence, const std::string& symbol = "AAPL", double bid = 100.0);
pipeline::StoreEvent make_trade(std::uint64_t sequence, const std::string& symbol = "MSFT", double price = 200.0);
// A bar starting at `start_ns` (its natural key is provider, symbol, interval, start).
pipeline::StoreEvent make_bar(std::uint64_t sequence, std::int64_t start_ns, double close = 50.0,
                              const std::string& symbol = "AAPL", std::int64_t interval_ns = 5'000'000'000);

// `quotes` quotes, `trades` trades and `bars` bars (distinct bar keys), sequences 1..N in that order.
std::vector<pipeline::StoreEvent> make_mixed_batch(int quotes, int trades, int bars, std::uint64_t first_sequence = 1);

sinks::SinkContext make_context(const std::string& run_id = "run-1",
                                std::vector<std::string> providers = {"synthetic"});

// What one store host's sinks get when it relays 3 quotes and 2 trades published with an
// identity (MDP_HOST_PUBLISH_IDENTIFIED_ID): origin ("ingest-a", "ingest-run-9"), origin
// sequences 100..104, and the host's own run id `run_id` and publish sequences from
// `first_sequence`. The events themselves are the same whatever the host, as a redelivery's are.
struct RelayedBatch {
    sinks::SinkContext context;  // the relaying host's, holding the interned origin
    std::vector<pipeline::StoreEvent> events;
};
RelayedBatch make_relayed_batch(const std::string& run_id, std::uint64_t first_sequence);

// A sink config as the host would hand it over, as if read from `config_file` at store.sinks[index].
config::SinkConfig make_sink_config(const nlohmann::json& object, const std::string& config_file = "config.json",
                                    std::size_t index = 0);

}  // namespace mdp::test
