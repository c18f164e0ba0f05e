#pragma once
// What the session knows about its connection, for the status page. Plain values, copied to
// the observer whenever something changes.

#include "session/backfill_counters.hpp"

#include <chrono>
#include <cstdint>
#include <string>

namespace mdp::ibkr {

enum class SessionPhase {
    connecting,  // TCP connect in progress
    handshaking,  // connected; version exchange, startApi, waiting for nextValidId/managedAccounts
    streaming,  // ready; subscriptions sent or being sent
    waiting_to_reconnect,
    gave_up,  // reconnect.max_attempts exhausted
    stopped,
};

struct SessionStatus {
    SessionPhase phase = SessionPhase::connecting;
    std::string peer;  // "host:port"
    int client_id = 0;
    int server_version = 0;  // negotiated; 0 before the handshake
    std::uint64_t attempt = 0;  // consecutive connection attempts so far (1 = first)
    std::uint64_t connections = 0;  // connections that reached ready, in total
    std::string disconnect_reason;  // why the last connection ended
    std::chrono::milliseconds retry_in{0};
    bool client_id_in_use = false;  // the last attempt ended in error 326
    // Connectivity between TWS/IB Gateway and IB (1100/2110/1300), until 1101/1102.
    bool connectivity_lost = false;
    std::string connectivity_text;
    // A data farm reported disconnected (2103/2105/2157), until it reports OK.
    std::string farm_problem;
    // Pacing: TWS reported a violation (100) and the client slowed down.
    bool pacing_slowed = false;
    double pacing_rate = 0.0;  // messages per second now
    std::size_t requests_queued = 0;  // requests waiting for their pacing turn
    std::uint64_t malformed_messages = 0;
    std::uint64_t messages_received = 0;
    BackfillCounters backfill;  // bars recovered after outages (bar_backfill.hpp)
};

}  // namespace mdp::ibkr
