#include "http/connection_registry.hpp"

#include <vector>

namespace mdp::http {

ConnectionRegistry::ConnectionRegistry(std::size_t max_connections)
    : max_connections_(max_connections == 0 ? 1 : max_connections) {}

void ConnectionRegistry::add(RegisteredConnection* connection) {
    connections_.insert(connection);
    publish_count();
}

void ConnectionRegistry::remove(RegisteredConnection* connection) {
    connections_.erase(connection);
    closing_.erase(connection);
    publish_count();
}

void ConnectionRegistry::publish_count() {
    count_.store(connections_.size() - closing_.size(), std::memory_order_relaxed);
}

bool ConnectionRegistry::make_room() {
    if (connections_.size() - closing_.size() < max_connections_) {
        return true;
    }
    RegisteredConnection* longest_idle = nullptr;
    for (RegisteredConnection* connection : connections_) {
        if (closing_.contains(connection) || !connection->idle()) {
            continue;
        }
        if (longest_idle == nullptr || connection->idle_since() < longest_idle->idle_since()) {
            longest_idle = connection;
        }
    }
    if (longest_idle == nullptr) {
        return false;
    }
    closing_.insert(longest_idle);
    publish_count();
    longest_idle->close();
    evicted_.fetch_add(1, std::memory_order_relaxed);
    return true;
}

void ConnectionRegistry::close_all() {
    const std::vector<RegisteredConnection*> open(connections_.begin(), connections_.end());
    for (RegisteredConnection* connection : open) {
        connection->close();
    }
}

}  // namespace mdp::http
