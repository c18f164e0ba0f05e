#pragma once
// The connection state machine, on its own socket thread:
//
//   connecting -> handshaking (API\0 + version range, server version, startApi, wait for
//   nextValidId + managedAccounts) -> streaming (reqMarketDataType, subscriptions through the
//   pacing outbox, then read) -> on any loss: waiting_to_reconnect (backoff with jitter) ->
//   connecting ...
//
// Reads are drained as fast as the socket delivers: decoded market data goes through the
// translator into the OutboundBuffer, which never blocks, so TWS never sees a slow reader
// however slow the host's store is. Malformed messages are counted and skipped; a broken
// frame stream or 50 malformed messages in a row end the connection and it is re-established.
// TWS error codes are handled as error_policy.hpp classifies them.
//
// An in-place change of the contract list (change_contracts) is handed to the socket thread,
// which applies it between reads: on a streaming connection it queues the cancels and the
// new requests on the same paced outbox, otherwise the new lines wait for the next
// connection. The connection itself is never touched.
//
// Bars an outage lost are requested as history once the live bars resume (bar_backfill.hpp).

#include "codec/decode_error.hpp"
#include "codec/frame_decoder.hpp"
#include "codec/handshake.hpp"
#include "codec/server_message_codec.hpp"
#include "config/ibkr_config.hpp"
#include "market_data/market_data_translator.hpp"
#include "market_data/outbound_buffer.hpp"
#include "market_data/rate_scale_cell.hpp"
#include "session/bar_backfill.hpp"
#include "session/paced_outbox.hpp"
#include "session/reconnect_backoff.hpp"
#include "session/session_status.hpp"
#include "session/subscription_book.hpp"
#include "session/tcp_connection.hpp"
#include "session/wakeup_fd.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace mdp::ibkr {

// [session thread] Receives the session's status and log lines.
class SessionObserver {
   public:
    virtual ~SessionObserver() = default;
    // The status changed, or a periodic refresh (about once a second).
    virtual void on_session_status(const SessionStatus& status, const SubscriptionBook& book) = 0;
    // `level` is an MDP_LOG_* value.
    virtual void on_session_log(int level, const std::string& message) = 0;
};

class TwsSession : private ServerMessageHandler {
   public:
    using Clock = std::chrono::steady_clock;

    // All references must outlive the session. `now_ns` gives the receive time stamped on
    // events (the host's clock). `config` must not change while the session lives, except
    // its `contracts`, which the session never reads (see change_contracts).
    TwsSession(const IbkrConfig& config, SubscriptionBook& book, MarketDataTranslator& translator,
               OutboundBuffer& buffer, const RateScaleCell& rate_scale, SessionObserver& observer,
               std::function<std::int64_t()> now_ns);
    ~TwsSession() override;
    TwsSession(const TwsSession&) = delete;
    TwsSession& operator=(const TwsSession&) = delete;

    // [control-thread] Starts the socket thread. Connecting happens there; start() never
    // waits for TWS.
    void start();
    // [control-thread] Closes the connection and joins the thread; a contract list handed
    // over but not yet taken by the thread is applied here.
    void stop();
    // [control-thread] The contract list becomes `contracts`. Never waits for the socket
    // thread: it is queued (a newer list replaces one not yet taken) and the socket thread
    // is woken to apply it at its next turn (apply_contract_list), within one poll. Without a
    // running thread it is applied at once. Never interrupts a connect in progress.
    void change_contracts(std::vector<ContractConfig> contracts);
    // [control-thread, after stop()] What the bar backfill did, for the provider's summary.
    [[nodiscard]] BackfillCounters backfill_counters() const noexcept { return backfill_.counters(); }

   private:
    struct Stopped {};

    void run();
    void run_connection();
    void handshake(Clock::time_point deadline);
    void await_ready(Clock::time_point deadline);
    void pump(Clock::time_point deadline, const char* waiting_for);
    void read_available();
    void process_frames();
    void dispatch_frame(std::string_view frame);
    void handle_server_hello(const ServerHello& hello);
    void flush_writes();
    void note_malformed(const std::string& what);
    void sleep_interruptibly(std::chrono::milliseconds delay);
    void set_phase(SessionPhase phase);
    void publish_status_if_due(Clock::time_point now);
    void log(int level, const std::string& message);
    void end_connection_cleanup(bool was_ready);
    // [socket thread] Applies a contract list handed over by change_contracts, if any.
    void apply_pending_contracts();

    // ServerMessageHandler
    void on_managed_accounts(const ManagedAccounts& message) override;
    void on_next_valid_id(const NextValidId& message) override;
    void on_error(const ErrorMessage& message) override;
    void on_tick_price(const TickPrice& message) override { translator_.on_tick_price(message); }
    void on_tick_size(const TickSize& message) override { translator_.on_tick_size(message); }
    void on_tick_string(const TickString& message) override { translator_.on_tick_string(message); }
    void on_market_data_type(const MarketDataTypeMessage& message) override {
        translator_.on_market_data_type(message);
    }
    void on_real_time_bar(const RealTimeBar& message) override;
    void on_historical_data(const HistoricalData& message) override;
    void on_historical_data_end(const HistoricalDataEnd& message) override;
    void handle_system_error(const ErrorMessage& message);

    const IbkrConfig& config_;
    SubscriptionBook& book_;
    MarketDataTranslator& translator_;
    OutboundBuffer& buffer_;
    const RateScaleCell& rate_scale_;
    SessionObserver& observer_;
    std::function<std::int64_t()> now_ns_;

    std::atomic<bool> stopping_{false};
    WakeupFd wakeup_;  // stop(): interrupts everything, a connect included
    WakeupFd contracts_wakeup_;  // change_contracts(): polled between reads and while waiting to reconnect
    std::thread thread_;

    std::mutex pending_mutex_;
    std::optional<std::vector<ContractConfig>> pending_contracts_;  // guarded by pending_mutex_

    // Socket-thread state.
    TcpConnection connection_;
    FrameDecoder decoder_;
    PacedOutbox outbox_;
    BarBackfill backfill_;
    ReconnectBackoff backoff_;
    std::string write_buffer_;
    std::size_t write_offset_ = 0;
    int server_version_ = 0;
    bool awaiting_hello_ = false;
    bool got_next_valid_id_ = false;
    bool got_managed_accounts_ = false;
    std::string managed_accounts_;
    int connectivity_code_ = 0;
    std::string redirect_host_;
    std::uint16_t redirect_port_ = 0;
    int consecutive_redirects_ = 0;
    std::uint64_t consecutive_malformed_ = 0;
    SessionStatus status_;
    bool status_dirty_ = true;
    Clock::time_point next_status_refresh_{};
};

}  // namespace mdp::ibkr
