#include "recording_host.hpp"

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

int32_t RecordingHost::publish(const mdp_host_t* host, const mdp_event_t* events, uint32_t count,
                               mdp_publish_result_t* result) {
    RecordingHost& recording = self(host);
    if (count > 0 && (events == nullptr || events[0].size < sizeof(mdp_event_t))) {
        return MDP_ERROR;
    }
    {
        std::lock_guard lock(recording.mutex_);
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
    std::lock_guard lock(recording.mutex_);
    recording.log_lines_.emplace_back(message != nullptr ? message : "");
}

void RecordingHost::report_state(const mdp_host_t* host, int32_t state, const char* detail) {
    RecordingHost& recording = self(host);
    std::lock_guard lock(recording.mutex_);
    recording.last_state_ = state;
    recording.last_detail_ = detail != nullptr ? detail : "";
}

int64_t RecordingHost::now_ns(const mdp_host_t* /*host*/) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

const void* RecordingHost::get_extension(const mdp_host_t* /*host*/, const char* /*extension_id*/) { return nullptr; }

std::vector<mdp_event_t> RecordingHost::events() const {
    std::lock_guard lock(mutex_);
    return events_;
}

std::size_t RecordingHost::event_count() const {
    std::lock_guard lock(mutex_);
    return events_.size();
}

std::string RecordingHost::last_detail() const {
    std::lock_guard lock(mutex_);
    return last_detail_;
}

int RecordingHost::last_state() const {
    std::lock_guard lock(mutex_);
    return last_state_;
}

std::vector<std::string> RecordingHost::log_lines() const {
    std::lock_guard lock(mutex_);
    return log_lines_;
}

}  // namespace mdp::test
