#pragma once
// Every market data line this provider wants (a reqMktData per contract, plus a
// reqRealTimeBars per contract when bars are on), its state, and the requests that bring
// each connection to it: the initial subscription, resubscription after 1101, and the
// fallback to delayed data, and an in-place change of the contract list. Lines beyond
// max_market_data_lines are refused up front with a message that says so.
//
// Lines are keyed by request id, which is derived from the contract's slot (request_ids.hpp,
// contract_diff.hpp): a contract list change keeps the lines (state, request ids) of the
// contracts in both lists untouched.
//
// [session thread] while the session runs; the control thread owns it while it does not.

#include "codec/server_messages.hpp"
#include "config/ibkr_config.hpp"
#include "session/contract_diff.hpp"
#include "session/paced_outbox.hpp"

#include <cstddef>
#include <string>
#include <unordered_map>
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
    std::size_t contract_index = 0;  // the contract's slot
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

// What a contract list change did: the diff, and the requests and cancels it queued.
struct ContractChange {
    ContractDiff diff;
    std::size_t requests = 0;  // reqMktData / reqRealTimeBars queued for added (or newly admitted) lines
    std::size_t cancels = 0;  // cancelMktData / cancelRealTimeBars queued for removed lines
};

class SubscriptionBook {
   public:
    // Copies config.contracts (slots 0..n-1); keeps a reference to `config` for the other
    // settings, which must outlive the book and not change (it never reads config.contracts
    // again: the contract list changes through change_contracts()).
    explicit SubscriptionBook(const IbkrConfig& config);

    // A fresh connection: reqMarketDataType, then every accepted line.
    void queue_initial_requests(PacedOutbox& outbox, int server_version);
    // 1101 (data lost): cancel and request every line again.
    void queue_resubscription(PacedOutbox& outbox, int server_version);
    void on_connection_lost();
    // Data arrived for slot `contract_index`'s market data or bars line. True when the line
    // just started streaming (false for a line that already was, or that is not ours).
    bool on_data(std::size_t contract_index, LineKind kind);

    // The contract list becomes `next` (an in-place reconfigure). Lines of contracts in both
    // lists keep their state and request ids and are not touched; lines of removed contracts
    // are dropped (with a cancel for those TWS holds); added contracts get lines on fresh
    // slots. Free lines (max_market_data_lines) go to added and previously refused lines in
    // list order, market data first, as at construction. `outbox` is the streaming
    // connection's (cancels and requests are queued on it), or null when there is none: new
    // lines then wait as pending for the next connection's initial requests.
    ContractChange change_contracts(const std::vector<ContractConfig>& next, PacedOutbox* outbox, int server_version);

    // An error naming request `request_id`. Returns false when the id is none of ours.
    // May queue requests (the delayed fallback).
    bool on_request_error(const ErrorMessage& error, PacedOutbox& outbox, int server_version);

    [[nodiscard]] BookSummary summary() const;
    // In the current list's order: market data for every contract, then bars.
    [[nodiscard]] const std::vector<Line>& lines() const noexcept { return lines_; }
    // Slots handed out so far (removed contracts keep theirs): request ids are below
    // request_ids::market_data(slot_count()) / real_time_bars(slot_count()).
    [[nodiscard]] std::size_t slot_count() const noexcept { return contracts_by_slot_.size(); }
    [[nodiscard]] const ContractConfig& contract(std::size_t slot) const { return contracts_by_slot_[slot]; }
    // Slots of the current contract list, in its order.
    [[nodiscard]] const std::vector<std::size_t>& active_slots() const noexcept { return active_slots_; }
    [[nodiscard]] int market_data_type() const noexcept { return market_data_type_; }
    // Human text for the refused lines, e.g. "200 contracts beyond max_market_data_lines 100".
    [[nodiscard]] std::string refused_text() const;

   private:
    // Lines for `slots` in the book's order (market data for every slot, then bars): the
    // existing line of a slot when there is one, else a new one marked refused for admit().
    [[nodiscard]] std::vector<Line> lines_for(const std::vector<std::size_t>& slots);
    // Gives refused lines free line capacity, in order; queues their requests when `outbox`
    // is set. Returns how many requests it queued.
    std::size_t admit_refused(PacedOutbox* outbox, int server_version);
    void index_lines();
    Line* find_line(int request_id);
    void queue_request(const Line& line, PacedOutbox& outbox, int server_version) const;
    static void queue_cancel(const Line& line, PacedOutbox& outbox, int server_version);
    void apply_delayed_fallback(Line& line, PacedOutbox& outbox, int server_version);
    [[nodiscard]] const std::string& name_of(const Line& line) const;

    const IbkrConfig& config_;  // every setting but `contracts`
    std::vector<ContractConfig> contracts_by_slot_;  // every contract ever given a slot
    std::vector<std::size_t> active_slots_;  // the current list's slots, in its order
    std::vector<Line> lines_;
    std::unordered_map<int, std::size_t> line_by_request_;  // request id -> index in lines_
    int market_data_type_;
    bool fallback_active_ = false;
};

}  // namespace mdp::ibkr
