#pragma once
// The replay provider: publishes a recorded capture (CSV or the jsonl sink's JSONL) at the
// recorded pace x `speed`, following the host's rate scale, optionally in a loop. Built on
// the public SDK only (README.md; the line count is in docs/writing-a-provider.md).
//
// Threads: constructor, start(), stop(), destructor on the control thread; on_feedback on
// the feedback thread (only wakes the producer); the player runs on the producer thread.

#include "replay_config.hpp"
#include "replay_player.hpp"

#include <mdp/sdk/paced_producer.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace mdp::replay {

class ReplayProvider final : public sdk::Provider {
   public:
    // Reads the config and the whole recording: a bad one fails create() (and --check-config).
    ReplayProvider(sdk::Host host, const std::string& instance_name, std::string_view config_json);
    ~ReplayProvider() override { stop(); }

    void start() override;
    void stop() override { producer_.stop(); }
    void on_feedback(const mdp_feedback_t& /*feedback*/) override { producer_.wake(); }

   private:
    ReplayConfig config_;
    Recording recording_;
    std::optional<ReplayPlayer> player_;  // a new one per start()
    sdk::PacedProducer producer_;
};

}  // namespace mdp::replay
