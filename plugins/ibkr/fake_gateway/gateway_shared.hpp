#pragma once
// State the fake gateway's connections share: the output log (one line per event, which
// tests read), the client ids currently connected (a second connection with the same id
// gets error 326, as with the real TWS), the bar timeline and its streamed bars, the
// historical-data pacing state (IB paces a user's requests, whichever connection sends
// them), a scripted outage, and the stop flag.

#include "codec/historical_pacing.hpp"
#include "fake_gateway/bar_tape.hpp"

#include <atomic>
#include <chrono>
#include <optional>
#include <mutex>
#include <ostream>
#include <set>
#include <string>

namespace mdp::ibkr::fake {

class GatewayShared {
   public:
    using Clock = std::chrono::steady_clock;

    // `bar_interval`: the real-time bar cadence (bar_tape.hpp).
    GatewayShared(std::ostream& output, Clock::duration bar_interval);

    // [any-thread] One line to the output, flushed (tests poll it).
    void print(const std::string& line);

    // [any-thread] Claims a client id; false when another connection holds it.
    bool claim_client_id(int client_id);
    void release_client_id(int client_id);

    [[nodiscard]] BarTape& bar_tape() noexcept { return bar_tape_; }

    // [any-thread] Checks a received reqHistoricalData against IB's pacing rules: the rule it
    // breaks (counted, not recorded), or nullopt (recorded as sent and answered).
    std::optional<std::string> check_historical_pacing(const HistoricalRequestKey& key, Clock::time_point now);
    [[nodiscard]] int historical_pacing_violations() const noexcept { return historical_violations_.load(); }

    // [any-thread] New connections are closed at once until `until` (a scripted outage).
    void refuse_connections_until(Clock::time_point until) { refuse_until_.store(until.time_since_epoch().count()); }
    [[nodiscard]] bool refusing_connections(Clock::time_point now) const {
        return now.time_since_epoch().count() < refuse_until_.load();
    }

    std::atomic<bool> stopping{false};
    std::atomic<int> connections{0};

   private:
    std::ostream& output_;
    std::mutex mutex_;
    std::set<int> client_ids_;
    BarTape bar_tape_;
    std::mutex pacing_mutex_;
    HistoricalPacing historical_pacing_;  // guarded by pacing_mutex_
    std::atomic<int> historical_violations_{0};
    std::atomic<Clock::rep> refuse_until_{0};
};

}  // namespace mdp::ibkr::fake
