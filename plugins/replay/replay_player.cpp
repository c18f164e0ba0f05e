#include "replay_player.hpp"

#include "replay_config.hpp"

#include <algorithm>
#include <cmath>

namespace mdp::replay {

constexpr std::int64_t kReportEveryNs = 1'000'000'000;

ReplayPlayer::ReplayPlayer(sdk::Host host, const Recording& recording, const ReplayConfig& config, std::string name)
    : host_(host), recording_(recording), loop_(config.loop), paced_(config.speed > 0.0),
      batch_size_(config.batch_size), name_(std::move(name)) {
    std::int64_t previous = 0;
    for (const mdp_event_t& event : recording_.events) {
        const auto recorded = static_cast<double>(event.event_time_ns - recording_.events.front().event_time_ns);
        previous = std::max(previous, paced_ ? static_cast<std::int64_t>(recorded / config.speed) : 0);
        offsets_ns_.push_back(previous);
    }
    batch_.reserve(batch_size_);
}

std::int64_t ReplayPlayer::due_ns(std::uint64_t position) const {
    const std::uint64_t pass = position / recording_.events.size();
    return static_cast<std::int64_t>(pass) * offsets_ns_.back() + offsets_ns_[position % recording_.events.size()];
}

std::optional<std::int64_t> ReplayPlayer::step(std::int64_t schedule_ns) {
    last_schedule_ns_ = schedule_ns;
    batch_.clear();
    const std::int64_t now_ns = host_.now_ns();
    while (!done() && batch_.size() < batch_size_ && due_ns(position_) <= schedule_ns) {
        mdp_event_t event = recording_.events[position_ % recording_.events.size()];
        event.receive_time_ns = now_ns;
        event.flags |= MDP_EVENT_FLAG_REPLAYED;
        batch_.push_back(event);
        ++position_;
    }
    accepted_ += host_.publish(batch_).accepted;
    report(done());
    return done() ? std::nullopt : std::optional(paced_ ? due_ns(position_) : schedule_ns);
}

void ReplayPlayer::set_paused(bool paused) {
    paused_ = paused;
    report(true);
}

void ReplayPlayer::report(bool force) {
    const std::int64_t now_ns = host_.now_ns();
    if (!force && now_ns - last_report_ns_ < kReportEveryNs) {
        return;  // at most once a second: the detail is for people
    }
    last_report_ns_ = now_ns;
    const std::uint64_t total = recording_.events.size();
    const std::uint64_t in_pass = loop_ && !done() ? position_ % total : position_;
    std::string detail = done() ? "finished: " : paused_ ? "paused by backpressure (rate scale 0): " : "replaying: ";
    detail += std::to_string(in_pass) + " of " + std::to_string(total) + " events (" +
              std::to_string(in_pass * 100 / total) + "%)" +
              (loop_ ? ", pass " + std::to_string(position_ / total + 1) : "");
    if (!done() && paced_ && !paused_) {  // the rest of this pass at the current rate scale
        const double rest_ns = static_cast<double>(due_ns((position_ / total + 1) * total - 1) - last_schedule_ns_);
        detail += ", ETA " +
                  std::to_string(std::llround(std::max(rest_ns, 0.0) / 1e9 / std::max(host_.rate_scale(), 0.01))) +
                  " s";
    }
    detail +=
        "; " + std::to_string(accepted_) + " accepted" +
        (recording_.skipped_rows != 0 ? ", " + std::to_string(recording_.skipped_rows) + " bad rows skipped" : "") +
        " from " + name_;
    host_.report_state(sdk::State::running, detail);
    if (force) {  // the end and pauses are worth a log line too
        host_.log(sdk::LogLevel::info, detail);
    }
}

}  // namespace mdp::replay
