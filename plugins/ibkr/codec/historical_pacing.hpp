#pragma once
// IB's pacing rules for historical data requests of small bars (30 seconds or less), as the
// TWS API documentation publishes them ("Historical Data Limitations"). A pacing violation
// is any of:
//   - an identical request (same contract, window, bar size and data type) within 15 s;
//   - six or more requests for the same contract, exchange and data type within 2 s;
//   - more than 60 requests within any ten minutes.
// IB also caps simultaneous open historical requests at 50.
//
// One model of the rules serves both sides: the provider asks when a request may go
// (earliest_send, with a safety margin for the network between it and TWS) and the fake
// gateway asks whether a request it just received breaks one (violation). Times are the
// caller's steady clock. Not thread-safe: one owner thread.

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <string>

namespace mdp::ibkr {

struct ReqHistoricalData;

struct HistoricalPacingLimits {
    std::chrono::milliseconds identical_gap{15'000};
    int max_same_contract = 5;  // per same_contract_window: the sixth would be a violation
    std::chrono::milliseconds same_contract_window{2'000};
    int max_in_window = 60;
    std::chrono::milliseconds window{600'000};
    // Open requests at most; the provider keeps far below IB's 50 (IB advises "a much
    // smaller number"). 0 = no cap (the fake gateway does not model it).
    int max_open = 0;
    // Added to every gap by earliest_send, so network jitter between the provider and TWS
    // cannot turn a request sent exactly at the limit into one TWS sees too early.
    std::chrono::milliseconds safety_margin{0};
};

// What makes two requests "the same contract and data type" and "identical".
struct HistoricalRequestKey {
    std::string contract;  // contract fields, exchange included, and what_to_show
    std::string identity;  // contract plus window, bar size and formatting
};
HistoricalRequestKey historical_request_key(const ReqHistoricalData& request);

class HistoricalPacing {
   public:
    using Clock = std::chrono::steady_clock;

    explicit HistoricalPacing(HistoricalPacingLimits limits) : limits_(limits) {}

    // When `key` may be sent at the earliest: `now` or later; Clock::time_point::max() while
    // max_open requests are open (a finished one frees a place).
    [[nodiscard]] Clock::time_point earliest_send(const HistoricalRequestKey& key, Clock::time_point now) const;
    // The rule a request received at `now` breaks ("identical request within 15 s", ...),
    // or nullopt. Ignores max_open and the safety margin.
    [[nodiscard]] std::optional<std::string> violation(const HistoricalRequestKey& key, Clock::time_point now) const;

    // A request went out (or, for the gateway, was accepted) at `now`: it counts from then on
    // and is open until finished().
    void record_sent(const HistoricalRequestKey& key, Clock::time_point now);
    // An open request was answered (its end, or an error).
    void finished();
    // The connection ended: its open requests are gone (the sent ones still count for pacing).
    void forget_open() noexcept { open_ = 0; }
    [[nodiscard]] int open_requests() const noexcept { return open_; }

   private:
    struct Sent {
        Clock::time_point at;
        HistoricalRequestKey key;
    };
    struct Bound {
        Clock::time_point at;
        const char* rule;
    };
    // The latest of the three rules' lower bounds for sending `key`, each gap widened by `margin`.
    [[nodiscard]] Bound lower_bound(const HistoricalRequestKey& key, Clock::duration margin) const;
    void prune(Clock::time_point now);

    HistoricalPacingLimits limits_;
    std::deque<Sent> sent_;  // oldest first, the last `window` only
    int open_ = 0;
};

}  // namespace mdp::ibkr
