#pragma once
// Plays a recording: which event is due when, publishing what is due, and the progress
// shown in the state detail. No thread of its own: PacedProducer calls step() with the
// schedule time (which runs at the host's rate scale), so a test can call step() with any
// schedule time and check exactly what was published.
//
// Schedule: event i of a pass is due (t_i - t_0) / speed after the pass started, where t is
// the recorded event_time_ns (an event recorded earlier than its predecessor is due with
// it); pass k starts k x the pass length. speed 0: every event is due at once (unpaced).

#include "recording.hpp"

#include <mdp/plugin.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mdp::replay {

struct ReplayConfig;

class ReplayPlayer {
   public:
    ReplayPlayer(sdk::Host host, const Recording& recording, const ReplayConfig& config, std::string name);

    // [producer thread] Publishes up to one batch of the events due by `schedule_ns` and
    // returns the schedule time of the next event (nullopt once the recording is done).
    std::optional<std::int64_t> step(std::int64_t schedule_ns);
    // [producer thread] Notes a pause (rate scale 0) or resume in the state detail.
    void set_paused(bool paused);

    // Schedule time at which the event at `position` (counted over all passes) is due.
    [[nodiscard]] std::int64_t due_ns(std::uint64_t position) const;

   private:
    [[nodiscard]] bool done() const { return !loop_ && position_ >= recording_.events.size(); }
    void report(bool force);

    sdk::Host host_;
    const Recording& recording_;  // owned by the provider, outlives the player
    std::vector<std::int64_t> offsets_ns_;  // due time of each event within a pass
    const bool loop_;
    const bool paced_;
    const std::size_t batch_size_;
    const std::string name_;
    std::vector<mdp_event_t> batch_;
    std::uint64_t position_ = 0;
    std::uint64_t accepted_ = 0;
    bool paused_ = false;
    std::int64_t last_schedule_ns_ = 0;
    std::int64_t last_report_ns_ = 0;
};

}  // namespace mdp::replay
