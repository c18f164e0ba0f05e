#pragma once
// State the fake gateway's connections share: the output log (one line per event, which
// tests read), the client ids currently connected (a second connection with the same id
// gets error 326, as with the real TWS), and the stop flag.

#include <atomic>
#include <mutex>
#include <ostream>
#include <set>
#include <string>

namespace mdp::ibkr::fake {

class GatewayShared {
   public:
    explicit GatewayShared(std::ostream& output) : output_(output) {}

    // [any-thread] One line to the output, flushed (tests poll it).
    void print(const std::string& line);

    // [any-thread] Claims a client id; false when another connection holds it.
    bool claim_client_id(int client_id);
    void release_client_id(int client_id);

    std::atomic<bool> stopping{false};
    std::atomic<int> connections{0};

   private:
    std::ostream& output_;
    std::mutex mutex_;
    std::set<int> client_ids_;
};

}  // namespace mdp::ibkr::fake
