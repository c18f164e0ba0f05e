// Test plugin "crashing": publishes `crash_after` numbered trades (symbol CRASHING, price 1..N,
// one publish call each), then fails the worst ways a native plugin can, by `mode`:
//   segfault  writes through a null pointer (SIGSEGV)
//   abort     calls abort() (SIGABRT)
//   throw     lets an exception escape its thread: nothing catches it, std::terminate
//   spin      spins at 100 % CPU and ignores stop(): stop() never returns
//   allocate  allocates and touches memory without bound until the allocator fails
//   none      publishes its N trades and idles until stopped
// Isolated, each takes down only its runner; in process, it takes down the host. Its metric
// trades_published_total (metrics extension) counts the trades it published.

#include <mdp/plugin.hpp>
#include <mdp/sdk/metric_set.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

// A null pointer the compiler cannot see through, so the write really faults.
int* volatile null_target = nullptr;

class CrashingProvider final : public mdp::sdk::Provider {
   public:
    CrashingProvider(mdp::sdk::Host host, const std::string& /*name*/, std::string_view config_json)
        : host_(host),
          metrics_(host, {{"trades_published_total", "Trades published.", mdp::sdk::MetricKind::counter}}) {
        const auto config = nlohmann::json::parse(config_json);
        mode_ = config.value("mode", "none");
        crash_after_ = config.value("crash_after", 100U);
    }

    void start() override {
        stopping_ = false;
        worker_ = std::thread([this] { run(); });
    }

    void stop() override {
        stopping_ = true;
        if (worker_.joinable()) {
            worker_.join();  // mode spin: never returns
        }
    }

   private:
    void run() {
        for (std::uint32_t number = 1; number <= crash_after_; ++number) {
            const auto now = host_.now_ns();
            const mdp_event_t trade = mdp::sdk::make_trade("CRASHING", now, now, static_cast<double>(number), 1.0);
            host_.publish({&trade, 1});
            metrics_.set(0, static_cast<double>(number));
        }
        host_.log(mdp::sdk::LogLevel::info, "published " + std::to_string(crash_after_) + " trades; now " + mode_);
        fail();
        while (!stopping_) {
            std::this_thread::yield();
        }
    }

    void fail() {
        if (mode_ == "segfault") {
            *null_target = 1;
        } else if (mode_ == "abort") {
            std::abort();
        } else if (mode_ == "throw") {
            throw std::runtime_error("deliberate exception out of a plugin thread");
        } else if (mode_ == "spin") {
            std::atomic<std::uint64_t> spins{0};
            while (true) {
                spins.fetch_add(1, std::memory_order_relaxed);  // a side effect: the loop stays
            }
        } else if (mode_ == "allocate") {
            std::vector<std::unique_ptr<char[]>> hoard;
            while (true) {
                constexpr std::size_t kChunk = std::size_t{16} * 1024 * 1024;
                hoard.emplace_back(new char[kChunk]);
                std::memset(hoard.back().get(), 1, kChunk);
            }
        }
    }

    mdp::sdk::Host host_;
    mdp::sdk::MetricSet metrics_;
    std::string mode_;
    std::uint32_t crash_after_ = 100;
    std::atomic<bool> stopping_{false};
    std::thread worker_;
};

}  // namespace

MDP_PLUGIN(CrashingProvider, "crashing", "Crashing test provider", "1.0.0", "mdp tests",
           "Publishes numbered trades, then crashes on purpose")
