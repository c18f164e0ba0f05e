// "ticker": an example provider that publishes one trade per symbol every `interval_ms`,
// each price a small random step from the last. It shows everything a provider does:
// validate its config (errors as `<key>: expected ...`), run its own thread, publish
// batches, obey the host's rate scale (0 = pause), report its state, stop promptly.
//
// Config: {"symbols": ["AAPL", "MSFT"], "interval_ms": 1000, "start_price": 100}
#include <mdp/plugin.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct TickerConfig {
    std::vector<std::string> symbols;
    std::chrono::milliseconds interval{1000};
    double start_price = 100.0;
};

// Throws std::invalid_argument("<key>: expected ..., found ...") — the SDK hands the
// message to the host, which prefixes the config file and the provider's JSON path.
[[noreturn]] void reject(const std::string& key, const std::string& expected, const nlohmann::json& found) {
    throw std::invalid_argument(key + ": expected " + expected + ", found " + found.dump());
}

TickerConfig parse_config(std::string_view json_text) {
    const auto document = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
    if (!document.is_object()) {
        // About the whole object, so no key in front.
        throw std::invalid_argument("expected a JSON object with the ticker's settings");
    }
    TickerConfig config;
    for (const auto& [key, value] : document.items()) {
        if (key == "symbols") {
            if (!value.is_array() || value.empty()) {
                reject(key, "a non-empty list of symbol strings", value);
            }
            for (std::size_t index = 0; index < value.size(); ++index) {
                const auto& symbol = value[index];
                if (!symbol.is_string() || symbol.get<std::string>().empty() ||
                    symbol.get<std::string>().size() >= MDP_SYMBOL_CAPACITY) {
                    reject("symbols[" + std::to_string(index) + "]", "a symbol of 1 to 31 characters", symbol);
                }
                config.symbols.push_back(symbol.get<std::string>());
            }
        } else if (key == "interval_ms") {
            if (!value.is_number_integer() || value.get<std::int64_t>() < 10 || value.get<std::int64_t>() > 3'600'000) {
                reject(key, "an integer number of milliseconds between 10 and 3600000", value);
            }
            config.interval = std::chrono::milliseconds(value.get<std::int64_t>());
        } else if (key == "start_price") {
            if (!value.is_number() || !(value.get<double>() > 0.0)) {
                reject(key, "a price > 0", value);
            }
            config.start_price = value.get<double>();
        } else {
            throw std::invalid_argument(key + ": unknown key (expected symbols, interval_ms, start_price)");
        }
    }
    if (config.symbols.empty()) {
        throw std::invalid_argument("symbols: expected a non-empty list of symbol strings (required)");
    }
    return config;
}

class TickerProvider final : public mdp::sdk::Provider {
   public:
    // [control thread] Validates the config; a throw here fails the host's create().
    TickerProvider(mdp::sdk::Host host, std::string instance_name, std::string_view config_json)
        : host_(host), name_(std::move(instance_name)), config_(parse_config(config_json)),
          prices_(config_.symbols.size(), config_.start_price) {}

    ~TickerProvider() override { stop(); }

    // [control thread] Starts the publishing thread; must not block for long.
    void start() override {
        host_.report_state(MDP_STATE_RUNNING, "ticking " + std::to_string(config_.symbols.size()) + " symbols");
        // A guarded thread reports FAILED if run() throws, instead of ending the host process.
        thread_ = mdp::sdk::start_guarded_thread(host_, "ticker", [this] { run(); });
    }

    // [control thread] Stops and joins; after this the provider makes no host calls.
    void stop() override {
        {
            std::lock_guard lock(mutex_);
            stop_requested_ = true;
        }
        wake_.notify_all();
        if (thread_.joinable()) {
            thread_.join();
        }
    }

    // [feedback thread, must not block] The rate scale changed: wake the thread so it
    // re-reads host.rate_scale() now rather than at its next tick.
    void on_feedback(const mdp_feedback_t& /*feedback*/) override {
        {
            std::lock_guard lock(mutex_);  // held for an instant only
            woken_ = true;
        }
        wake_.notify_all();
    }

   private:
    // [provider thread]
    void run() {
        auto next_tick = Clock::now();
        bool paused = false;
        while (!sleep_until(next_tick)) {
            const double scale = host_.rate_scale();
            if (scale <= 0.0) {  // 0 = pause: publish nothing until the host raises it
                if (!paused) {
                    host_.report_state(MDP_STATE_RUNNING, "paused by backpressure");
                    paused = true;
                }
                next_tick = Clock::now() + std::chrono::milliseconds(100);
                continue;
            }
            if (paused) {
                host_.report_state(MDP_STATE_RUNNING, "ticking " + std::to_string(config_.symbols.size()) + " symbols");
                paused = false;
                next_tick = Clock::now();
            }
            if (Clock::now() < next_tick) {
                continue;  // woken early by feedback: sleep on to the tick
            }
            publish_tick();
            // At scale 0.5 the interval doubles: half the configured rate.
            next_tick += std::chrono::duration_cast<Clock::duration>(config_.interval / scale);
            next_tick = std::max(next_tick, Clock::now() - config_.interval);  // no catch-up burst
        }
    }

    void publish_tick() {
        const std::int64_t now_ns = host_.now_ns();
        events_.clear();  // capacity is kept: no allocation after the first tick
        for (std::size_t index = 0; index < config_.symbols.size(); ++index) {
            prices_[index] = std::max(0.01, prices_[index] * (1.0 + 0.001 * step_(random_)));
            const double price = std::round(prices_[index] * 100.0) / 100.0;
            events_.push_back(mdp::sdk::make_trade(config_.symbols[index], now_ns, now_ns, price, 100.0, "TICK"));
        }
        host_.publish(events_);  // may block while the host's queue is full (block policy)
    }

    // Sleeps until `deadline`, a stop request or a feedback wake-up; true once stop was asked.
    bool sleep_until(Clock::time_point deadline) {
        std::unique_lock lock(mutex_);
        wake_.wait_until(lock, deadline, [this] { return stop_requested_ || woken_; });
        woken_ = false;
        return stop_requested_;
    }

    mdp::sdk::Host host_;
    std::string name_;
    TickerConfig config_;
    std::vector<double> prices_;
    std::vector<mdp_event_t> events_;
    std::mt19937_64 random_{std::random_device{}()};
    std::normal_distribution<double> step_{0.0, 1.0};
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_requested_ = false;  // guarded by mutex_
    bool woken_ = false;  // guarded by mutex_
};

}  // namespace

MDP_PLUGIN(TickerProvider, "ticker", "Ticker example", "1.0.0", "Example Corp",
           "Publishes one trade per symbol per interval (an out-of-tree example)")
