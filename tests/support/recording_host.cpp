#include "recording_host.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>

namespace mdp::test {

RecordingHost::RecordingHost() {
    table_.size = sizeof(mdp_host_t);
    table_.abi_version = MDP_ABI_VERSION_INIT;
    table_.host_data = this;
    table_.publish = &RecordingHost::publish;
    table_.rate_scale = &RecordingHost::rate_scale;
    table_.log = &RecordingHost::log;
    table_.report_state = &RecordingHost::report_state;
    table_.now_ns = &RecordingHost::now_ns;
    table_.get_extension = &RecordingHost::get_extension;
}

RecordingHost& RecordingHost::self(const mdp_host_t* host) { return *static_cast<RecordingHost*>(host->host_data); }

void RecordingHost::set_blocked(bool blocked) {
    {
        const std::lock_guard lock(mutex_);
        blocked_ = blocked;
    }
    unblocked_.notify_all();
}

int32_t RecordingHost::publish(const mdp_host_t* host, const mdp_event_t* events, uint32_t count,
                               mdp_publish_result_t* result) {
    RecordingHost& recording = self(host);
    if (count > 0 && (events == nullptr || events[0].size < sizeof(mdp_event_t))) {
        return MDP_ERROR;
    }
    {
        std::unique_lock lock(recording.mutex_);
        recording.unblocked_.wait(lock, [&] { return !recording.blocked_; });
        // Events are laid out with the stride the plugin declared (events[0].size), which
        // may exceed this host's mdp_event_t when the plugin was built against a newer minor.
        const auto* bytes = reinterpret_cast<const unsigned char*>(events);
        const std::size_t stride = count > 0 ? events[0].size : 0;
        for (uint32_t index = 0; index < count; ++index) {
            mdp_event_t copy{};
            std::memcpy(&copy, bytes + index * stride, sizeof(copy));
            recording.events_.push_back(copy);
        }
    }
    if (result != nullptr && result->size >= sizeof(mdp_publish_result_t)) {
        result->accepted = count;
        result->level = MDP_LEVEL_OK;
        result->rate_scale = recording.rate_scale_.load();
    }
    return MDP_OK;
}

double RecordingHost::rate_scale(const mdp_host_t* host) { return self(host).rate_scale_.load(); }

void RecordingHost::log(const mdp_host_t* host, int32_t /*level*/, const char* message) {
    RecordingHost& recording = self(host);
    const std::lock_guard lock(recording.mutex_);
    recording.logs_.emplace_back(message != nullptr ? message : "");
}

void RecordingHost::report_state(const mdp_host_t* host, int32_t state, const char* detail) {
    RecordingHost& recording = self(host);
    const std::lock_guard lock(recording.mutex_);
    recording.states_.push_back({state, detail != nullptr ? detail : ""});
}

int64_t RecordingHost::now_ns(const mdp_host_t* /*host*/) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

const void* RecordingHost::get_extension(const mdp_host_t* /*host*/, const char* /*extension_id*/) { return nullptr; }

std::vector<mdp_event_t> RecordingHost::events() const {
    const std::lock_guard lock(mutex_);
    return events_;
}

std::size_t RecordingHost::event_count() const {
    const std::lock_guard lock(mutex_);
    return events_.size();
}

std::vector<std::string> RecordingHost::logs() const {
    const std::lock_guard lock(mutex_);
    return logs_;
}

std::vector<StateReport> RecordingHost::states() const {
    const std::lock_guard lock(mutex_);
    return states_;
}

StateReport RecordingHost::last_state() const {
    const std::lock_guard lock(mutex_);
    return states_.empty() ? StateReport{} : states_.back();
}

bool RecordingHost::logged(const std::string& text) const {
    const std::lock_guard lock(mutex_);
    return std::any_of(logs_.begin(), logs_.end(),
                       [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

bool RecordingHost::reported(int state, const std::string& text) const {
    const std::lock_guard lock(mutex_);
    return std::any_of(states_.begin(), states_.end(), [&](const StateReport& report) {
        return report.state == state && report.detail.find(text) != std::string::npos;
    });
}

}  // namespace mdp::test
