#pragma once
// mdp-fake-tws as a library: listens on a loopback port and serves each connection on its
// own thread (GatewayConnection). Used by the executable, the tests and the benchmark.

#include "fake_gateway/gateway_options.hpp"
#include "fake_gateway/gateway_shared.hpp"
#include "fake_gateway/tick_script.hpp"

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <ostream>
#include <thread>

namespace mdp::ibkr::fake {

class FakeGateway {
   public:
    // Binds and listens at once (throws std::runtime_error naming the address on failure),
    // loads the script if one is configured. Output lines go to `output`.
    FakeGateway(GatewayOptions options, std::ostream& output);
    ~FakeGateway();
    FakeGateway(const FakeGateway&) = delete;
    FakeGateway& operator=(const FakeGateway&) = delete;

    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
    // Accepts connections on a background thread.
    void start();
    // Closes the listener and every connection, joins all threads.
    void stop();

   private:
    void accept_loop();

    GatewayOptions options_;
    std::optional<TickScript> script_;
    GatewayShared shared_;
    int listen_fd_ = -1;
    std::uint16_t port_ = 0;
    struct Worker {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> finished;
    };
    void reap_finished_workers();

    std::thread accept_thread_;
    std::list<Worker> workers_;  // accept thread only (and stop() after joining it)
};

}  // namespace mdp::ibkr::fake
