#pragma once
// A host services table for driving a provider in-process: it records published events,
// logs and state reports, and lets the test set the rate scale. Unlike the real host it has
// no queue: publish accepts everything (or, when `block_publish` is set, blocks until it is
// cleared, to play a full queue under the `block` policy).

#include <mdp/plugin_api.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace mdp::ibkr::test {

struct StateReport {
    int state = 0;
    std::string detail;
};

class StubHost {
   public:
    StubHost();
    StubHost(const StubHost&) = delete;
    StubHost& operator=(const StubHost&) = delete;

    [[nodiscard]] const mdp_host_t* table() const { return &table_; }

    void set_rate_scale(double scale) { rate_scale_.store(scale); }
    // While set, publish() blocks (a full queue under the `block` policy).
    void set_blocked(bool blocked);

    [[nodiscard]] std::vector<mdp_event_t> events() const;
    [[nodiscard]] std::size_t event_count() const;
    [[nodiscard]] std::vector<std::string> logs() const;
    [[nodiscard]] std::vector<StateReport> states() const;
    [[nodiscard]] StateReport last_state() const;
    [[nodiscard]] bool logged(const std::string& text) const;
    // True when some report had `state` and a detail containing `text`.
    [[nodiscard]] bool reported(int state, const std::string& text) const;

   private:
    static int32_t publish(const mdp_host_t* host, const mdp_event_t* events, uint32_t count,
                           mdp_publish_result_t* result);
    static double rate_scale(const mdp_host_t* host);
    static void log(const mdp_host_t* host, int32_t level, const char* message);
    static void report_state(const mdp_host_t* host, int32_t state, const char* detail);
    static int64_t now_ns(const mdp_host_t* host);
    static const void* get_extension(const mdp_host_t* host, const char* id);
    static StubHost& self(const mdp_host_t* host) { return *static_cast<StubHost*>(host->host_data); }

    mdp_host_t table_{};
    std::atomic<double> rate_scale_{1.0};
    mutable std::mutex mutex_;
    std::condition_variable unblocked_;
    bool blocked_ = false;
    std::vector<mdp_event_t> events_;
    std::vector<std::string> logs_;
    std::vector<StateReport> states_;
};

}  // namespace mdp::ibkr::test
