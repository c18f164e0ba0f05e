#pragma once
// mdp-fake-tws as a library: listens on a loopback port and serves each connection on its
// own thread (GatewayConnection). Used by the executable, the tests and the benchmark.

#include "fake_gateway/gateway_options.hpp"
#include "fake_gateway/gateway_shared.hpp"
#include "fake_gateway/tick_script.hpp"

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
    std::thread accept_thread_;
    std::list<std::thread> connection_threads_;
};

}  // namespace mdp::ibkr::fake
