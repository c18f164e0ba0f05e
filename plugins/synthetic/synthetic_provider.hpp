#pragma once
// The synthetic market data provider: `threads` workers, each generating quotes, trades and
// bars for its share of the symbols and publishing them in batches, paced by credits to
// `rate_per_symbol` × the host's rate scale (0 pauses), or unthrottled for benchmarks.
//
// Threads: constructor, start(), stop() and the destructor run on the host's control
// thread; on_feedback() on the host's feedback thread (never blocks: it only wakes the
// workers, which read the scale from the host themselves); everything else on the workers.
// All state is per instance, so several instances run side by side independently.

#include "event_budget.hpp"
#include "stop_signal.hpp"
#include "synthetic_config.hpp"

#include <mdp/plugin.hpp>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace mdp::synthetic {

class EventGenerator;
class CreditPacer;

class SyntheticProvider final : public sdk::Provider {
   public:
    // Throws ConfigProblem for invalid settings (the SDK turns it into a create() error).
    SyntheticProvider(sdk::Host host, std::string instance_name, std::string_view config_json);
    ~SyntheticProvider() override;

    void start() override;
    void stop() override;
    void on_feedback(const mdp_feedback_t& feedback) override;
    // Takes new symbols, rate and the other generator settings in place: the workers stop
    // (publishing what they hold) and start again on the new config; the seed stays unless
    // the new config sets one. A change of max_events needs a restart (false).
    bool reconfigure(std::string_view config_json) override;

    [[nodiscard]] const SyntheticConfig& config() const noexcept { return config_; }
    [[nodiscard]] std::uint64_t seed() const noexcept { return seed_; }

   private:
    void start_workers();
    void stop_workers();
    void publish_until_stopped(std::size_t worker_index);
    // Publishes one batch when credit allows; returns false once the budget is spent.
    bool publish_next_batch(EventGenerator& generator, CreditPacer* pacer, double scale);
    void finish_worker();

    void report_scale(double scale);
    void report(sdk::State state, const std::string& detail);
    [[nodiscard]] std::string streaming_detail(double scale) const;

    sdk::Host host_;
    std::string instance_name_;
    SyntheticConfig config_;
    std::uint64_t seed_;
    EventBudget budget_;
    StopSignal stop_;
    std::vector<std::thread> workers_;
    std::atomic<std::uint32_t> finished_workers_{0};
    std::atomic<std::uint64_t> published_{0};  // events the host accepted (its queue took them)

    std::mutex report_mutex_;
    std::string last_detail_;  // guarded by report_mutex_
};

}  // namespace mdp::synthetic
