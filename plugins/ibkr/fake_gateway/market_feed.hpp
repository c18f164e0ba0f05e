#pragma once
// Market data the fake gateway makes up: a random walk per symbol (quotes, trades with
// RTVolume, 5-second bars from the walk's range), and the pre-encoded "blast" cycle the
// throughput benchmark replays as fast as the socket takes it.

#include "codec/server_messages.hpp"

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <unordered_map>

namespace mdp::ibkr::fake {

// Where a symbol's walk starts (derived from the symbol, so runs with one seed compare).
double start_price(const std::string& symbol);

class RandomWalkFeed {
   public:
    explicit RandomWalkFeed(std::uint64_t seed) : random_(seed) {}

    // Appends the frames of one market update for `symbol` (request `request_id`): a bid or
    // an ask change (price tick with size, then the size tick), or a trade (last, lastSize,
    // RTVolume unless delayed, lastTimestamp). Delayed data uses tick types 66..71.
    void step(std::string& out, int request_id, const std::string& symbol, bool delayed, int server_version,
              std::int64_t now_ms);
    // The realtimeBar over the walk's range since the previous bar; starts the next bar.
    RealTimeBar take_bar(int request_id, const std::string& symbol, std::int64_t time_seconds);

   private:
    struct Walk {
        double mid = 0.0;
        double bar_open = 0.0, bar_high = 0.0, bar_low = 0.0;
        double bar_volume = 0.0, bar_notional = 0.0;
        int bar_count = 0;
        double total_volume = 0.0;
    };
    Walk& walk_for(const std::string& symbol);

    std::mt19937_64 random_;
    std::unordered_map<std::string, Walk> walks_;
};

// One cycle of `messages` tick messages spread over `request_ids`, every message changing
// what the client knows (so each yields an event): bid, bid size, ask, ask size, RTVolume
// trade, last. Deterministic, so a reader can compute the byte count it will receive.
std::string encode_blast_cycle(std::span<const int> request_ids, std::size_t messages, int server_version);

}  // namespace mdp::ibkr::fake
