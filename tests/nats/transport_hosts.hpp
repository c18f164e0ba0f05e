#pragma once
// The two tiers of the scale-out transport as real mdp-host processes around one real
// nats-server: an ingest host (synthetic -> `nats` sink "bus") and store hosts (the `nats`
// provider "store" on the shared durable consumer -> a sink of the test's choice), plus the
// consumer's numbers from the server's monitoring endpoint (what KEDA's nats-jetstream
// scaler reads).

#include "nats_server.hpp"
#include "synthetic_host.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace mdp::test {

inline constexpr const char* kTestConsumer = "store";

// Ingest: provider "synthetic" (AAPL, MSFT; quotes and trades, `rate_per_symbol` each) into
// the nats sink "bus" on the test stream. `extra_sinks` are written too (e.g. a SQLite
// reference copy).
[[nodiscard]] SyntheticHostOptions ingest_host_options(const NatsServer& server, double rate_per_symbol,
                                                       const nlohmann::json& extra_sinks = nlohmann::json::array());

// Store: provider "store" (the nats plugin on the test stream and consumer; ack_wait 2 s)
// with `provider_config` merged over its config, into `sink` (null: SQLite "main").
[[nodiscard]] SyntheticHostOptions store_host_options(const NatsServer& server, const nlohmann::json& sink = nullptr,
                                                      const nlohmann::json& provider_config = nlohmann::json::object());

// The consumer's entry in GET /jsz?consumers=true (num_pending, num_ack_pending,
// num_redelivered, ...); null while it does not exist.
[[nodiscard]] nlohmann::json consumer_state(const NatsServer& server, const std::string& consumer = kTestConsumer);

// num_pending + num_ack_pending of the consumer: what is not yet acknowledged (the largest
// value while the consumer does not exist, so a wait for 0 never passes without it).
[[nodiscard]] std::uint64_t unacknowledged(const NatsServer& server);

// The store provider's detail counter `name` ("acked", "terminated", ...) from a status
// document's "store" entry: the number after "<name> " in its detail text (0 before the
// provider's first report with counters, so an eventually() keeps polling).
[[nodiscard]] std::uint64_t store_counter(const nlohmann::json& status, const std::string& name);

}  // namespace mdp::test
