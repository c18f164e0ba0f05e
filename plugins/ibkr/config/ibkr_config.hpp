#pragma once
// The ibkr provider's validated configuration (the provider's "config" object in the host
// config). Defaults follow IB Gateway's paper-trading setup; plugins/ibkr/README.md documents
// every key.

#include "contract_config.hpp"

#include <mdp/sdk/shard.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mdp::ibkr {

struct ReconnectConfig {
    std::int64_t initial_delay_ms = 250;
    std::int64_t max_delay_ms = 5000;
    double jitter = 0.2;  // each delay is randomised by up to this fraction (either way)
    std::uint64_t max_attempts = 0;  // consecutive failed attempts before giving up; 0 = never

    bool operator==(const ReconnectConfig&) const = default;
};

struct RealTimeBarsConfig {
    bool enabled = false;
    std::string what_to_show = "TRADES";  // TRADES, MIDPOINT, BID, ASK
    bool use_rth = false;

    bool operator==(const RealTimeBarsConfig&) const = default;
};

struct IbkrConfig {
    std::string host = "127.0.0.1";
    std::uint16_t port = 4002;
    int client_id = 17;
    int market_data_type = 1;  // 1 live, 2 frozen, 3 delayed, 4 delayed-frozen
    std::int64_t connect_timeout_ms = 5000;  // TCP connect and handshake, each
    ReconnectConfig reconnect;
    int max_market_data_lines = 100;  // reqMktData + reqRealTimeBars subscriptions
    double max_messages_per_second = 45.0;  // client -> TWS; TWS allows 50
    std::string generic_ticks = "233";  // RTVolume
    bool delayed_fallback = false;  // on 354/10186 switch to delayed data for that contract
    RealTimeBarsConfig real_time_bars;
    std::size_t buffer_capacity = 16384;  // events held while the host cannot take them
    std::int64_t max_quote_hold_ms = 1000;  // longest a conflated quote waits below scale 1.0
    int min_server_version = 100;
    int max_server_version = 200;  // never above 200: 201+ switches to protobuf
    std::string optional_capabilities;
    std::vector<ContractConfig> contracts;

    // True when trades come from RTVolume (generic tick 233) rather than last/lastSize.
    [[nodiscard]] bool uses_rt_volume() const;
    // Every setting equal, `contracts` included (only_contracts_differ compares the rest for an
    // in-place reconfigure).
    bool operator==(const IbkrConfig&) const = default;
};

// Parses and validates the JSON text; throws ConfigProblem (`<key path>: expected ...`).
IbkrConfig parse_ibkr_config(std::string_view json_text);

// The part of `config` that `shard` reads (plugin_api.h, MDP_HOST_SHARD_ID): the contracts
// whose display name it owns, in their order, and client id `client_id + shard index`, so the
// hosts of one ingest tier never collide on a client id (TWS error 326).
IbkrConfig owned_by_shard(IbkrConfig config, const sdk::Shard& shard);

// parse_ibkr_config, then owned_by_shard with the host's shard (parsed first, so a bad config
// is reported before the host is asked anything).
IbkrConfig parse_ibkr_config_for(std::string_view json_text, const sdk::Host& host);

}  // namespace mdp::ibkr
