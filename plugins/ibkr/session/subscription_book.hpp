#pragma once
// Every market data line this provider wants (a reqMktData per contract, plus a
// reqRealTimeBars per contract when bars are on), its state, and the requests that bring
// each connection to it: the initial subscription, resubscription after 1101, and the
// fallback to delayed data. Lines beyond max_market_data_lines are refused up front with a
// message that says so. [session thread]

#include "codec/server_messages.hpp"
#include "config/ibkr_config.hpp"
#include "session/paced_outbox.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace mdp::ibkr {

enum class LineKind { market_data, real_time_bars };

enum class LineState {
    refused,  // beyond the configured line limit; never requested
    pending,  // waits for a connection
    requested,  // sent; no data yet
    streaming,  // data arrived
    failed,  // TWS refused it (reason says why)
    not_subscribed,  // no market data permission (354/10186)
};

struct Line {
    std::size_t contract_index = 0;
    LineKind kind = LineKind::market_data;
    int request_id = 0;
    LineState state = LineState::pending;
    bool delayed = false;  // streaming delayed data (10167, or the delayed fallback)
    int error_code = 0;
    std::string reason;
};

struct BookSummary {
    std::size_t lines = 0;  // accepted lines (not refused)
    std::size_t streaming = 0;
    std::size_t waiting = 0;  // pending or requested
    std::size_t failed = 0;  // failed or not subscribed
    std::size_t refused = 0;
    std::size_t delayed = 0;  // streaming delayed data
    std::string failures;  // "XYZ: no security definition (200); ..." (first few)
    std::string delayed_names;  // first few contracts on delayed data
};

class SubscriptionBook {
   public:
    explicit SubscriptionBook(const IbkrConfig& config);

    // A fresh connection: reqMarketDataType, then every accepted line.
    void queue_initial_requests(PacedOutbox& outbox, int server_version);
    // 1101 (data lost): cancel and request every line again.
    void queue_resubscription(PacedOutbox& outbox, int server_version);
    void on_connection_lost();
    // Data arrived for contract `index`'s market data or bars line.
    void on_data(std::size_t contract_index, LineKind kind);

    // An error naming request `request_id`. Returns false when the id is none of ours.
    // May queue requests (the delayed fallback).
    bool on_request_error(const ErrorMessage& error, PacedOutbox& outbox, int server_version);

    [[nodiscard]] BookSummary summary() const;
    [[nodiscard]] const std::vector<Line>& lines() const noexcept { return lines_; }
    [[nodiscard]] int market_data_type() const noexcept { return market_data_type_; }
    // Human text for the refused lines, e.g. "200 contracts beyond max_market_data_lines 100".
    [[nodiscard]] std::string refused_text() const;

   private:
    Line* find_line(int request_id);
    void queue_request(const Line& line, PacedOutbox& outbox, int server_version) const;
    void apply_delayed_fallback(Line& line, PacedOutbox& outbox, int server_version);
    [[nodiscard]] const std::string& name_of(const Line& line) const;

    const IbkrConfig& config_;
    std::vector<Line> lines_;
    int market_data_type_;
    bool fallback_active_ = false;
};

}  // namespace mdp::ibkr
