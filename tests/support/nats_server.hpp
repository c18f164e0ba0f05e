#pragma once
// A throwaway NATS server with JetStream for tests (Debian package `nats-server`): started as
//   nats-server -js -sd <temp dir>/store -a 127.0.0.1 -p <port> -m <monitor port>
// with both ports chosen by the server itself on the first start (-1) and read back from its
// log; ready once it logs "Server is ready" (no sleeps). kill() is a SIGKILL (file storage
// keeps what it acknowledged), start() brings it back on the same ports and store dir; the
// destructor kills it and deletes the dir. A server not ready within 20 s throws with its log.

#include "child_process.hpp"
#include "temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace mdp::test {

struct NatsServerOptions {
    // Non-empty: clients must authenticate with this user and password.
    std::string user;
    std::string password;
};

class NatsServer {
   public:
    explicit NatsServer(NatsServerOptions options = {});
    ~NatsServer();
    NatsServer(const NatsServer&) = delete;
    NatsServer& operator=(const NatsServer&) = delete;

    // The nats-server program (MDP_NATS_SERVER, else where Debian or a local install puts it),
    // or nullopt when not installed.
    static std::optional<std::filesystem::path> find_binary();

    // SIGKILL and wait until it is gone.
    void kill();
    // Starts again on the same ports and store dir; waits until ready.
    void start();
    [[nodiscard]] bool running() const { return process_ != nullptr; }

    [[nodiscard]] unsigned short port() const { return port_; }
    [[nodiscard]] unsigned short monitor_port() const { return monitor_port_; }
    [[nodiscard]] std::string url() const { return "nats://127.0.0.1:" + std::to_string(port_); }
    [[nodiscard]] const std::filesystem::path& directory() const { return directory_.path(); }
    // Everything every start of the server logged.
    [[nodiscard]] std::string log() const;
    // GET /jsz?consumers=true&config=true from the monitoring port, parsed.
    [[nodiscard]] nlohmann::json jsz() const;

   private:
    void launch();

    NatsServerOptions options_;
    TempDir directory_{"mdp-nats"};
    std::filesystem::path binary_;
    std::unique_ptr<ChildProcess> process_;
    unsigned short port_ = 0;  // 0 until the first start chose one
    unsigned short monitor_port_ = 0;
    int starts_ = 0;
};

}  // namespace mdp::test
