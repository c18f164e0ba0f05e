#pragma once
// A minimal in-process implementation of the host services table (mdp_host_t) for running a
// provider without mdp-host: it keeps every published event, log line and state report,
// and lets a test set the rate scale. It has no queue: publish accepts everything, or, while
// set_blocked(true), waits until it is cleared, to play a full queue under the `block`
// policy. Used only for provider-level tests; the integration tests run the real mdp-host.
// [any-thread]: all members are safe to call concurrently.

#include <mdp/plugin_api.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace mdp::test {

struct StateReport {
    int state = -1;  // an mdp_state_t value; -1 before the first report
    std::string detail;
};

class RecordingHost {
   public:
    RecordingHost();
    RecordingHost(const RecordingHost&) = delete;
    RecordingHost& operator=(const RecordingHost&) = delete;

    [[nodiscard]] const mdp_host_t* table() const { return &table_; }

    void set_rate_scale(double scale) { rate_scale_.store(scale); }
    // While set, publish() blocks (a full queue under the `block` policy).
    void set_blocked(bool blocked);

    [[nodiscard]] std::vector<mdp_event_t> events() const;
    [[nodiscard]] std::size_t event_count() const;
    [[nodiscard]] std::vector<std::string> logs() const;
    [[nodiscard]] std::vector<StateReport> states() const;
    [[nodiscard]] StateReport last_state() const;
    // True when some log line contains `text`.
    [[nodiscard]] bool logged(const std::string& text) const;
    // True when some report had `state` and a detail containing `text`.
    [[nodiscard]] bool reported(int state, const std::string& text) const;

   private:
    static RecordingHost& self(const mdp_host_t* host);
    static int32_t publish(const mdp_host_t* host, const mdp_event_t* events, uint32_t count,
                           mdp_publish_result_t* result);
    static double rate_scale(const mdp_host_t* host);
    static void log(const mdp_host_t* host, int32_t level, const char* message);
    static void report_state(const mdp_host_t* host, int32_t state, const char* detail);
    static int64_t now_ns(const mdp_host_t* host);
    static const void* get_extension(const mdp_host_t* host, const char* extension_id);

    mdp_host_t table_{};
    std::atomic<double> rate_scale_{1.0};
    mutable std::mutex mutex_;
    std::condition_variable unblocked_;
    bool blocked_ = false;
    std::vector<mdp_event_t> events_;
    std::vector<std::string> logs_;
    std::vector<StateReport> states_;
};

}  // namespace mdp::test
