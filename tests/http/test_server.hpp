#pragma once
// An in-process HttpServer on an ephemeral loopback port, serving a snapshot the test can
// replace at any time.

#include "status/host_snapshot.hpp"
#include "config/host_config.hpp"
#include "http/http_server.hpp"

#include <memory>
#include <mutex>

namespace mdp::test {

// [any thread] The snapshot a test server hands out.
class SnapshotHolder {
   public:
    explicit SnapshotHolder(status::HostSnapshot snapshot) : snapshot_(std::move(snapshot)) {}
    void set(status::HostSnapshot snapshot) {
        const std::lock_guard lock(mutex_);
        snapshot_ = std::move(snapshot);
    }
    [[nodiscard]] status::HostSnapshot get() const {
        const std::lock_guard lock(mutex_);
        return snapshot_;
    }

   private:
    mutable std::mutex mutex_;
    status::HostSnapshot snapshot_;
};

// 127.0.0.1, port 0 (ephemeral), otherwise the defaults.
inline config::HttpConfig loopback_http_config() {
    config::HttpConfig config;
    config.bind_address = "127.0.0.1";
    config.port = 0;
    return config;
}

// A started server; stopped on destruction. With `history`, it serves GET /api/v1/history.
class TestServer {
   public:
    TestServer(status::HostSnapshot snapshot, const config::HttpConfig& config = loopback_http_config(),
               http::HistorySource history = {})
        : holder_(std::make_shared<SnapshotHolder>(std::move(snapshot))),
          server_(
              config, [holder = holder_] { return holder->get(); }, nullptr, {}, std::move(history)) {
        server_.start();
    }

    [[nodiscard]] unsigned short port() const { return server_.port(); }
    [[nodiscard]] http::HttpServer& server() { return server_; }
    [[nodiscard]] SnapshotHolder& snapshot() { return *holder_; }

   private:
    std::shared_ptr<SnapshotHolder> holder_;
    http::HttpServer server_;
};

}  // namespace mdp::test
