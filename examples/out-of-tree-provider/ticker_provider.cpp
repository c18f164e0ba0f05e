// "ticker": an example provider that publishes one trade per symbol every `interval_ms`,
// each price a small random step from the last. It shows everything a provider does:
// validate its config, run a producer thread that follows the host's rate scale (0 =
// pause), publish batches, report its state, stop promptly.
//
// Config: {"symbols": ["AAPL", "MSFT"], "interval_ms": 1000, "start_price": 100}
#include <mdp/plugin.hpp>
#include <mdp/sdk/config_reader.hpp>
#include <mdp/sdk/paced_producer.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace {

struct TickerConfig {
    std::vector<std::string> symbols;
    std::int64_t interval_ns = 1'000'000'000;
    double start_price = 100.0;
};

// Throws mdp::sdk::ConfigProblem ("interval_ms: expected an integer from 10 to 3600000,
// found \"fast\""): the host prefixes the config file and the provider's JSON path.
TickerConfig parse_config(std::string_view json_text) {
    const nlohmann::json document = mdp::sdk::ConfigReader::parse(json_text);
    mdp::sdk::ConfigReader reader(document);
    TickerConfig config;
    config.symbols = reader.string_list("symbols");
    if (config.symbols.empty()) {
        reader.fail_at("symbols", "a non-empty list of symbols", document.at("symbols"));
    }
    for (std::size_t index = 0; index < config.symbols.size(); ++index) {
        if (config.symbols[index].empty() || config.symbols[index].size() >= MDP_SYMBOL_CAPACITY) {
            throw mdp::sdk::ConfigProblem(
                mdp::sdk::config_path_of("symbols", index),
                "expected a symbol of 1 to 31 characters, found \"" + config.symbols[index] + "\"");
        }
    }
    config.interval_ns = reader.integer("interval_ms", 10, 3'600'000, 1000) * 1'000'000;
    config.start_price = reader.number("start_price", 0.01, 1e9, config.start_price);
    reader.finish();  // unknown keys are errors, with a "did you mean" for typos
    return config;
}

class TickerProvider final : public mdp::sdk::Provider {
   public:
    // [control thread] Validates the config; a throw here fails the host's create().
    TickerProvider(mdp::sdk::Host host, const std::string& /*instance_name*/, std::string_view config_json)
        : Provider(host), config_(parse_config(config_json)), prices_(config_.symbols.size(), config_.start_price) {}

    ~TickerProvider() override { stop(); }

    // [control thread] Starts the producer thread; it calls tick() whenever a tick is due
    // (one interval of schedule time, which runs at the host's rate scale: at 0.5 the
    // interval doubles, at 0 nothing is due).
    void start() override {
        host().report_state(mdp::sdk::State::running, running_detail());
        producer_.start(
            host(), "ticker", [this](std::int64_t schedule_ns) { return tick(schedule_ns); },
            [this](bool paused) {
                host().report_state(mdp::sdk::State::running, paused ? "paused by backpressure" : running_detail());
            });
    }

    // [control thread] Wakes, stops and joins; after this the provider makes no host calls.
    void stop() override { producer_.stop(); }

    // [feedback thread, must not block] Wake the producer so a new rate scale applies now.
    void on_feedback(const mdp_feedback_t& /*feedback*/) override { producer_.wake(); }

   private:
    // [producer thread] Publishes one trade per symbol; returns when the next tick is due.
    std::int64_t tick(std::int64_t schedule_ns) {
        const std::int64_t now_ns = host().now_ns();
        events_.clear();  // capacity is kept: no allocation after the first tick
        for (std::size_t index = 0; index < config_.symbols.size(); ++index) {
            prices_[index] = std::max(0.01, prices_[index] * (1.0 + 0.001 * step_(random_)));
            const double price = std::round(prices_[index] * 100.0) / 100.0;
            events_.push_back(mdp::sdk::make_trade(config_.symbols[index], now_ns, now_ns, price, 100.0, "TICK"));
        }
        host().publish(events_);  // may block while the host's queue is full (block policy)
        return schedule_ns + config_.interval_ns;
    }

    [[nodiscard]] std::string running_detail() const {
        return "ticking " + std::to_string(config_.symbols.size()) + " symbols";
    }

    TickerConfig config_;
    std::vector<double> prices_;
    std::vector<mdp_event_t> events_;
    std::mt19937_64 random_{std::random_device{}()};
    std::normal_distribution<double> step_{0.0, 1.0};
    mdp::sdk::PacedProducer producer_;
};

}  // namespace

MDP_PLUGIN(TickerProvider, "ticker", "Ticker example", "1.0.0", "Example Corp",
           "Publishes one trade per symbol per interval (an out-of-tree example)", "https://example.com/mdp-ticker")
