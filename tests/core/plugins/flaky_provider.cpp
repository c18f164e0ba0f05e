// Test plugin "flaky": publishes a trade, then fails after `fail_after_ms` — either by
// reporting FAILED (`mode: "report"`) or by throwing from its thread (`mode: "throw"`), or
// hangs in start() (`mode: "hang_in_start"`) or in stop() (`mode: "hang_in_stop"`).
// With `flush_on_stop: N` its stop() publishes N more trades (in batches of 100) before it
// returns, like a provider flushing what it still holds: the host must store every one.

#include <mdp/plugin.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace {

class FlakyProvider final : public mdp::sdk::Provider {
   public:
    FlakyProvider(mdp::sdk::Host host, std::string name, std::string_view config_json)
        : host_(host), name_(std::move(name)) {
        const auto config = nlohmann::json::parse(config_json);
        mode_ = config.value("mode", "report");
        fail_after_ms_ = config.value("fail_after_ms", 100);
        flush_on_stop_ = config.value("flush_on_stop", 0U);
    }

    void start() override {
        if (mode_ == "hang_in_start") {
            std::this_thread::sleep_for(std::chrono::hours(1));
        }
        stopping_ = false;
        worker_ = mdp::sdk::start_guarded_thread(host_, "worker", [this] { run(); });
    }

    void stop() override {
        if (mode_ == "hang_in_stop") {
            std::this_thread::sleep_for(std::chrono::hours(1));
        }
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        if (worker_.joinable()) {
            worker_.join();
        }
        flush();
    }

   private:
    void flush() {
        constexpr std::uint32_t kBatch = 100;
        std::vector<mdp_event_t> batch;
        for (std::uint32_t sent = 0; sent < flush_on_stop_; sent += kBatch) {
            batch.clear();
            const auto now = host_.now_ns();
            for (std::uint32_t index = sent; index < std::min(flush_on_stop_, sent + kBatch); ++index) {
                batch.push_back(mdp::sdk::make_trade("FLUSH", now, now, 1.0 + index, 1.0));
            }
            host_.publish({batch.data(), batch.size()});
        }
    }

    void run() {
        const auto now = host_.now_ns();
        const mdp_event_t trade = mdp::sdk::make_trade("FLAKY", now, now, 1.0, 1.0);
        host_.publish({&trade, 1});
        host_.report_state(mdp::sdk::State::running, "running until it fails");
        std::unique_lock lock(mutex_);
        if (wake_.wait_for(lock, std::chrono::milliseconds(fail_after_ms_), [this] { return stopping_; })) {
            return;
        }
        if (mode_ == "throw") {
            throw std::runtime_error("deliberate failure in the worker");
        }
        if (mode_ == "report") {
            host_.report_state(mdp::sdk::State::failed, "deliberate failure reported");
        }
        wake_.wait(lock, [this] { return stopping_; });
    }

    mdp::sdk::Host host_;
    std::string name_;
    std::string mode_;
    int fail_after_ms_ = 100;
    std::uint32_t flush_on_stop_ = 0;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread worker_;
};

}  // namespace

MDP_PLUGIN(FlakyProvider, "flaky", "Flaky test provider", "1.0.0", "mdp tests", "Fails on purpose")
