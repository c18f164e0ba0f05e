#pragma once
// The open connections of one server and the cap on how many there may be.
//
// [HTTP thread only] Not synchronised: the server's single io thread registers, evicts and
// closes; sessions unregister themselves on destruction.
//
// When a new connection arrives at the cap, the connection that has been idle (waiting
// for its next keep-alive request) the longest is closed to make room: idle connections
// cost memory and a descriptor but serve nobody, while the newcomer wants an answer now.
// Connections in the middle of a request are never evicted; when all are busy the
// newcomer is refused (503), and slow senders free their slot at the read timeout.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <unordered_set>

namespace mdp::http {

// What the registry needs of a connection.
class RegisteredConnection {
   public:
    // True while waiting for the first byte of a request (nothing half-read or unsent).
    [[nodiscard]] virtual bool idle() const = 0;
    [[nodiscard]] virtual std::chrono::steady_clock::time_point idle_since() const = 0;
    // Closes the socket; the connection unregisters itself when it is destroyed.
    virtual void close() = 0;

   protected:
    ~RegisteredConnection() = default;
};

class ConnectionRegistry {
   public:
    explicit ConnectionRegistry(std::size_t max_connections);

    void add(RegisteredConnection* connection);
    void remove(RegisteredConnection* connection);

    // True when one more connection may be added, after evicting the longest-idle one if
    // the cap was reached; false when every connection is busy.
    bool make_room();

    void close_all();

    // [any thread] Open connections that count against the cap (evicted ones do not), and
    // how many were evicted so far. For monitoring and tests.
    [[nodiscard]] std::size_t size() const { return count_.load(std::memory_order_relaxed); }
    [[nodiscard]] std::size_t evicted() const { return evicted_.load(std::memory_order_relaxed); }

   private:
    void publish_count();

    std::size_t max_connections_;
    std::unordered_set<RegisteredConnection*> connections_;
    // Closed by make_room() but not yet destroyed: they no longer count against the cap.
    std::unordered_set<RegisteredConnection*> closing_;
    std::atomic<std::size_t> count_{0};
    std::atomic<std::size_t> evicted_{0};
};

}  // namespace mdp::http
