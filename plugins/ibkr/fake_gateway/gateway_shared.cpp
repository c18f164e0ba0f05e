#include "fake_gateway/gateway_shared.hpp"

namespace mdp::ibkr::fake {

void GatewayShared::print(const std::string& line) {
    std::lock_guard lock(mutex_);
    output_ << line << '\n';
    output_.flush();
}

bool GatewayShared::claim_client_id(int client_id) {
    std::lock_guard lock(mutex_);
    return client_ids_.insert(client_id).second;
}

void GatewayShared::release_client_id(int client_id) {
    std::lock_guard lock(mutex_);
    client_ids_.erase(client_id);
}

}  // namespace mdp::ibkr::fake
