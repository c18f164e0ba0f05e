#pragma once
// One client connection of the fake gateway, on its own thread: the server side of the
// handshake, answers to requests (with the configured refusals), pacing enforcement,
// streamed market data (random walk, script or blast), real-time bars, and injected faults.

#include "codec/client_message_codec.hpp"
#include "codec/frame_decoder.hpp"
#include "fake_gateway/gateway_options.hpp"
#include "fake_gateway/gateway_shared.hpp"
#include "fake_gateway/market_feed.hpp"
#include "fake_gateway/tick_script.hpp"

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <random>
#include <string>

namespace mdp::ibkr::fake {

class GatewayConnection : private ClientMessageHandler {
   public:
    using Clock = std::chrono::steady_clock;

    // Takes ownership of the connected socket `fd`.
    GatewayConnection(int fd, int number, const GatewayOptions& options, const TickScript* script,
                      GatewayShared& shared);
    ~GatewayConnection() override;
    GatewayConnection(const GatewayConnection&) = delete;
    GatewayConnection& operator=(const GatewayConnection&) = delete;

    // Serves the connection until the client leaves, a fault closes it, or the gateway stops.
    void run();

   private:
    struct Closed {
        std::string reason;
    };
    struct Subscription {
        std::string symbol;
        bool delayed = false;
    };

    // Handshake and main loop.
    void read_client_hello();
    void serve();
    void wait_readable(Clock::time_point until);
    void read_requests();
    void on_ready();

    // Writing.
    void send(const std::string& bytes);
    void flush();
    void write_all(const char* data, std::size_t size);

    // Streaming and faults.
    void stream_random_walk(Clock::time_point now);
    void stream_bars(Clock::time_point now);
    void run_script(Clock::time_point now);
    void run_blast();
    void run_due_faults(Clock::time_point now);
    void inject(const std::string& action);
    void send_error(int request_id, int code, const std::string& message);
    // The reply to a valid reqHistoricalData: the tape's bars of [from, to) seconds.
    void send_historical_bars(const ReqHistoricalData& message, std::int64_t from_seconds, std::int64_t to_seconds);
    [[nodiscard]] Clock::time_point next_wakeup(Clock::time_point now) const;
    [[nodiscard]] std::optional<int> market_data_id_of(const std::string& symbol) const;
    [[nodiscard]] std::optional<int> bars_id_of(const std::string& symbol) const;
    void note_request(const char* what);
    void print(const std::string& line);

    // ClientMessageHandler
    void on_start_api(const StartApi& message) override;
    void on_req_mkt_data(const ReqMktData& message) override;
    void on_cancel_mkt_data(const CancelMktData& message) override;
    void on_req_market_data_type(const ReqMarketDataType& message) override;
    void on_req_real_time_bars(const ReqRealTimeBars& message) override;
    void on_cancel_real_time_bars(const CancelRealTimeBars& message) override;
    void on_req_historical_data(const ReqHistoricalData& message) override;
    void on_req_current_time(const ReqCurrentTime& message) override;
    void on_unknown_request(int message_id) override;

    int fd_;
    int number_;
    const GatewayOptions& options_;
    const TickScript* script_;
    GatewayShared& shared_;
    std::mt19937_64 random_;
    RandomWalkFeed feed_;
    FrameDecoder decoder_;
    std::string pending_;  // coalesced writes
    int server_version_ = 0;
    int client_id_ = -1;
    bool client_id_claimed_ = false;
    bool ready_ = false;
    bool faults_apply_ = false;
    Clock::time_point ready_at_{};
    std::size_t next_fault_ = 0;
    int market_data_type_ = 1;
    bool connectivity_lost_ = false;
    std::map<int, Subscription> market_data_;  // by request id
    std::map<int, Subscription> bars_;
    int lines_used_ = 0;
    Clock::time_point next_step_{};
    std::int64_t next_bar_index_ = 0;  // on the shared BarTape
    std::size_t script_position_ = 0;
    bool script_started_ = false;
    Clock::time_point script_resume_{};
    bool blast_done_ = false;
    std::deque<Clock::time_point> recent_requests_;  // pacing window
    std::size_t max_requests_per_second_ = 0;
    int pacing_violations_ = 0;
};

}  // namespace mdp::ibkr::fake
