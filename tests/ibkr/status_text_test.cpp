// What the status page shows in each situation.

#include "provider/status_text.hpp"

#include <mdp/plugin_api.h>

#include <catch2/catch.hpp>

using namespace mdp::ibkr;

namespace {

StatusInputs streaming_inputs() {
    StatusInputs inputs;
    inputs.session.phase = SessionPhase::streaming;
    inputs.session.peer = "127.0.0.1:4002";
    inputs.session.client_id = 17;
    inputs.session.server_version = 176;
    inputs.book.lines = 3;
    inputs.book.streaming = 3;
    return inputs;
}

}  // namespace

TEST_CASE("streaming is running", "[ibkr][status]") {
    const ProviderStatus status = describe_status(streaming_inputs());
    CHECK(status.state == MDP_STATE_RUNNING);
    CHECK(status.detail == "streaming 3 of 3 lines from 127.0.0.1:4002 (server v176, live data)");
}

TEST_CASE("a failed contract is named while the others stream", "[ibkr][status]") {
    StatusInputs inputs = streaming_inputs();
    inputs.book.streaming = 2;
    inputs.book.failed = 1;
    inputs.book.failures = "NOPE: no security definition (unknown contract) (200)";
    const ProviderStatus status = describe_status(inputs);
    CHECK(status.state == MDP_STATE_RUNNING);
    CHECK(status.detail ==
          "streaming 2 of 3 lines from 127.0.0.1:4002 (server v176, live data); 1 line failed: "
          "NOPE: no security definition (unknown contract) (200)");
}

TEST_CASE("nothing streaming at all is failed", "[ibkr][status]") {
    StatusInputs inputs = streaming_inputs();
    inputs.book.streaming = 0;
    inputs.book.failed = 3;
    inputs.book.failures = "A: x (200); B: y (200); C: z (200)";
    CHECK(describe_status(inputs).state == MDP_STATE_FAILED);
}

TEST_CASE("connectivity loss and farm problems are degraded", "[ibkr][status]") {
    StatusInputs inputs = streaming_inputs();
    inputs.session.connectivity_lost = true;
    inputs.session.connectivity_text = "1100 Connectivity between IB and Trader Workstation has been lost.";
    ProviderStatus status = describe_status(inputs);
    CHECK(status.state == MDP_STATE_DEGRADED);
    CHECK(status.detail.starts_with("TWS/IB Gateway lost its connection to IB (1100 Connectivity"));
    inputs.session.connectivity_lost = false;
    inputs.session.farm_problem = "2103 Market data farm connection is broken:usfarm";
    status = describe_status(inputs);
    CHECK(status.state == MDP_STATE_DEGRADED);
    CHECK(status.detail.starts_with("data farm problem (2103"));
}

TEST_CASE("connecting and reconnecting are degraded and say when", "[ibkr][status]") {
    StatusInputs inputs = streaming_inputs();
    inputs.session.phase = SessionPhase::connecting;
    inputs.session.attempt = 1;
    ProviderStatus status = describe_status(inputs);
    CHECK(status.state == MDP_STATE_DEGRADED);
    CHECK(status.detail == "connecting to 127.0.0.1:4002 (client id 17)");
    inputs.session.phase = SessionPhase::waiting_to_reconnect;
    inputs.session.disconnect_reason = "127.0.0.1:4002 closed the connection";
    inputs.session.retry_in = std::chrono::milliseconds(1250);
    inputs.session.attempt = 3;
    status = describe_status(inputs);
    CHECK(status.state == MDP_STATE_DEGRADED);
    CHECK(status.detail ==
          "disconnected from 127.0.0.1:4002: 127.0.0.1:4002 closed the connection; reconnecting in "
          "1.2 s (attempt 4)");
}

TEST_CASE("a client id in use is failed and says what to do", "[ibkr][status]") {
    StatusInputs inputs = streaming_inputs();
    inputs.session.phase = SessionPhase::waiting_to_reconnect;
    inputs.session.client_id_in_use = true;
    inputs.session.retry_in = std::chrono::milliseconds(5000);
    const ProviderStatus status = describe_status(inputs);
    CHECK(status.state == MDP_STATE_FAILED);
    CHECK(status.detail ==
          "client id 17 is already in use at 127.0.0.1:4002 (error 326): another API client is "
          "connected with it; set a different client_id; retrying in 5.0 s");
}

TEST_CASE("backpressure shows in the detail", "[ibkr][status]") {
    StatusInputs inputs = streaming_inputs();
    inputs.rate_scale = 0.0;
    inputs.buffer.held_quotes = 3;
    inputs.buffer.queued = 100;
    inputs.buffer.dropped_trades = 42;
    ProviderStatus status = describe_status(inputs);
    CHECK(status.state == MDP_STATE_RUNNING);
    CHECK(
        status.detail.ends_with("; paused by backpressure (rate scale 0): holding 3 quotes and 100 trades/bars, "
                                "dropped 42 trades and 0 bars (buffer full)"));
    inputs.rate_scale = 0.5;
    inputs.buffer.dropped_trades = 0;
    status = describe_status(inputs);
    CHECK(status.detail.ends_with("; backpressure: rate scale 0.5, quotes conflated per symbol"));
}

TEST_CASE("the detail never exceeds what the host keeps", "[ibkr][status]") {
    StatusInputs inputs = streaming_inputs();
    inputs.book.streaming = 2;
    inputs.book.failed = 1;
    inputs.book.failures = std::string(400, 'x');
    inputs.book.delayed = 1;
    inputs.book.delayed_names = std::string(200, 'y');
    inputs.refused_text = "5 lines refused: beyond max_market_data_lines 100";
    const ProviderStatus status = describe_status(inputs);
    CHECK(status.detail.size() <= 511);
    CHECK(status.detail.ends_with("; ..."));
}

TEST_CASE("the backfill shows from the first gap on, with what waits and what was refused", "[ibkr][status]") {
    StatusInputs inputs = streaming_inputs();
    const std::string streaming = "streaming 3 of 3 lines from 127.0.0.1:4002 (server v176, live data)";
    inputs.session.backfill.windows_queued = 3;
    inputs.session.backfill.requests_sent = 1;
    inputs.session.backfill.pending = 2;
    inputs.session.backfill.open = 1;
    CHECK(describe_status(inputs).detail ==
          streaming + "; backfill: 0 bars recovered in 0 of 3 gaps, 2 waiting for IB's historical pacing, 1 requested");
    inputs.session.backfill.pending = 0;
    inputs.session.backfill.open = 0;
    inputs.session.backfill.windows_completed = 2;
    inputs.session.backfill.windows_failed = 1;
    inputs.session.backfill.bars_published = 1;
    const ProviderStatus status = describe_status(inputs);
    CHECK(status.state == MDP_STATE_RUNNING);
    CHECK(status.detail == streaming + "; backfill: 1 bar recovered in 2 of 3 gaps, 1 refused");
}
