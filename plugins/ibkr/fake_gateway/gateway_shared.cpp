#include "fake_gateway/gateway_shared.hpp"

namespace mdp::ibkr::fake {

GatewayShared::GatewayShared(std::ostream& output, Clock::duration bar_interval)
    : output_(output),
      bar_tape_(
          Clock::now(),
          std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count(),
          bar_interval),
      historical_pacing_(HistoricalPacingLimits{}) {}

std::optional<std::string> GatewayShared::check_historical_pacing(const HistoricalRequestKey& key,
                                                                  Clock::time_point now) {
    std::lock_guard lock(pacing_mutex_);
    if (auto rule = historical_pacing_.violation(key, now)) {
        ++historical_violations_;
        return rule;
    }
    historical_pacing_.record_sent(key, now);
    historical_pacing_.finished();  // the gateway answers at once
    return std::nullopt;
}

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
