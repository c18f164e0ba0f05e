#include "stub_host.hpp"

#include <chrono>

namespace mdp::ibkr::test {

StubHost::StubHost() {
    table_.size = sizeof(mdp_host_t);
    table_.abi_version = MDP_ABI_VERSION_INIT;
    table_.host_data = this;
    table_.publish = &StubHost::publish;
    table_.rate_scale = &StubHost::rate_scale;
    table_.log = &StubHost::log;
    table_.report_state = &StubHost::report_state;
    table_.now_ns = &StubHost::now_ns;
    table_.get_extension = &StubHost::get_extension;
}

void StubHost::set_blocked(bool blocked) {
    {
        std::lock_guard lock(mutex_);
        blocked_ = blocked;
    }
    unblocked_.notify_all();
}

int32_t StubHost::publish(const mdp_host_t* host, const mdp_event_t* events, uint32_t count,
                          mdp_publish_result_t* result) {
    StubHost& stub = self(host);
    std::unique_lock lock(stub.mutex_);
    stub.unblocked_.wait(lock, [&] { return !stub.blocked_; });
    stub.events_.insert(stub.events_.end(), events, events + count);
    if (result != nullptr) {
        result->accepted = count;
        result->level = MDP_LEVEL_OK;
        result->rate_scale = stub.rate_scale_.load();
    }
    return MDP_OK;
}

double StubHost::rate_scale(const mdp_host_t* host) { return self(host).rate_scale_.load(); }

void StubHost::log(const mdp_host_t* host, int32_t /*level*/, const char* message) {
    StubHost& stub = self(host);
    std::lock_guard lock(stub.mutex_);
    stub.logs_.emplace_back(message);
}

void StubHost::report_state(const mdp_host_t* host, int32_t state, const char* detail) {
    StubHost& stub = self(host);
    std::lock_guard lock(stub.mutex_);
    stub.states_.push_back({state, detail != nullptr ? detail : ""});
}

int64_t StubHost::now_ns(const mdp_host_t* /*host*/) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

const void* StubHost::get_extension(const mdp_host_t* /*host*/, const char* /*id*/) { return nullptr; }

std::vector<mdp_event_t> StubHost::events() const {
    std::lock_guard lock(mutex_);
    return events_;
}

std::size_t StubHost::event_count() const {
    std::lock_guard lock(mutex_);
    return events_.size();
}

std::vector<std::string> StubHost::logs() const {
    std::lock_guard lock(mutex_);
    return logs_;
}

std::vector<StateReport> StubHost::states() const {
    std::lock_guard lock(mutex_);
    return states_;
}

StateReport StubHost::last_state() const {
    std::lock_guard lock(mutex_);
    return states_.empty() ? StateReport{} : states_.back();
}

bool StubHost::logged(const std::string& text) const {
    std::lock_guard lock(mutex_);
    for (const auto& line : logs_) {
        if (line.find(text) != std::string::npos) {
            return true;
        }
    }
    return false;
}

bool StubHost::reported(int state, const std::string& text) const {
    std::lock_guard lock(mutex_);
    for (const auto& report : states_) {
        if (report.state == state && report.detail.find(text) != std::string::npos) {
            return true;
        }
    }
    return false;
}

}  // namespace mdp::ibkr::test
