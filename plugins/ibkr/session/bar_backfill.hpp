#pragma once
// Recovers the 5-second bars an outage lost, as history (reqHistoricalData).
//
// Every live bar of a contract is compared with the contract's previous one: when bars are
// missing between them and data was lost since (the connection ended, or TWS reported
// 1100 / 1101), the window between the two — [previous + 5 s, this bar) — is queued. Using
// the first live bar after the outage as the window's end leaves no hole and no overlap with
// the live stream, whenever the live stream resumes. A window is capped at the last
// kMaxBackfillSeconds before its end (IB's longest duration for 5-second bars in one
// request).
//
// Requests go out under IB's historical pacing rules (codec/historical_pacing.hpp) with a
// safety margin, at most kMaxOpenRequests open, one per contract (its request id is
// request_ids::historical(slot)), and through the paced outbox like every request. Their
// bars are published flagged MDP_EVENT_FLAG_BACKFILLED, those inside the window only.
// Windows survive reconnects (an open request's window is queued again when its
// connection ends) and pacing history survives too (IB paces the user, not the connection).
// A request TWS refuses is logged and counted; a pacing violation (162) is retried, up to
// kMaxAttempts per window.
//
// [session thread]

#include "codec/historical_pacing.hpp"
#include "codec/server_messages.hpp"
#include "config/ibkr_config.hpp"
#include "session/backfill_counters.hpp"
#include "session/paced_outbox.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mdp::ibkr {

class MarketDataTranslator;
class SubscriptionBook;

inline constexpr std::int64_t kMaxBackfillSeconds = 3600;
inline constexpr int kMaxOpenBackfillRequests = 5;
inline constexpr int kMaxBackfillAttempts = 3;
inline constexpr std::chrono::milliseconds kBackfillPacingMargin{2000};

class BarBackfill {
   public:
    using Clock = std::chrono::steady_clock;
    // `level` is an MDP_LOG_* value.
    using Log = std::function<void(int level, const std::string& message)>;

    // `config` supplies real_time_bars (what_to_show, use_rth) and must outlive this.
    BarBackfill(const IbkrConfig& config, Log log);

    // Data may have been lost from now on: the connection ended, or TWS reported 1100/1101.
    void note_data_loss() noexcept { ++loss_epoch_; }
    // The connection ended: open requests die with it and their windows are queued again.
    void on_connection_lost();
    // A live real-time bar of `slot` starting at `start_seconds`.
    void on_live_bar(std::size_t slot, std::int64_t start_seconds);

    // Queues on `outbox` the requests whose pacing turn has come.
    void release(PacedOutbox& outbox, const SubscriptionBook& book, int server_version, Clock::time_point now);
    // When release() may next have something to send (time_point::max() when nothing waits).
    [[nodiscard]] Clock::time_point next_release_time() const noexcept { return next_release_; }

    // A historicalData reply; false when `message` is no open backfill request of ours.
    bool on_historical_data(const HistoricalData& message, MarketDataTranslator& translator);
    bool on_historical_data_end(const HistoricalDataEnd& message);
    // An error naming `request_id`; false when it is no open backfill request of ours.
    bool on_request_error(const ErrorMessage& error);

    [[nodiscard]] BackfillCounters counters() const noexcept;

   private:
    struct Window {
        std::size_t slot = 0;
        std::int64_t from_seconds = 0;  // first missing bar's start
        std::int64_t to_seconds = 0;  // the live bar after the hole (exclusive)
        int attempts = 0;  // requests sent for it
        std::uint64_t bars = 0;  // published from the open request's reply
        std::string name;  // the contract's event symbol, for logs
    };
    struct LastBar {
        std::int64_t start_seconds = 0;
        std::uint64_t loss_epoch = 0;
    };

    [[nodiscard]] ReqHistoricalData request_for(const Window& window, const SubscriptionBook& book,
                                                std::string& end_text, std::string& duration_text) const;
    // Something changed that may let a window go at once (a new window, a freed place).
    void wake() noexcept { next_release_ = Clock::time_point::min(); }
    std::optional<Window> take_open(int request_id);

    const IbkrConfig& config_;
    Log log_;
    HistoricalPacing pacing_;
    std::uint64_t loss_epoch_ = 0;
    std::map<std::size_t, LastBar> last_bar_;  // by slot
    std::deque<Window> pending_;
    std::map<int, Window> open_;  // by request id
    BackfillCounters counters_;
    // release() has nothing to do before this (kept so the socket loop does not recompute
    // pacing on every read).
    Clock::time_point next_release_ = Clock::time_point::max();
};

}  // namespace mdp::ibkr
