#include "replay_provider.hpp"

namespace mdp::replay {

namespace {

// A recording that cannot be read is a problem of the config's "file" value; skipped rows
// are logged (their count is in the state detail).
Recording load(const sdk::Host& host, const RecordingSource& source) {
    Recording recording;
    try {
        recording = read_recording(source);
    } catch (const RecordingError& error) {
        throw sdk::ConfigProblem("file", error.what());
    }
    for (const std::string& reason : recording.skipped_reasons) {
        host.log(sdk::LogLevel::warn, "skipped a bad row: " + reason);
    }
    return recording;
}

}  // namespace

ReplayProvider::ReplayProvider(sdk::Host host, const std::string& /*instance_name*/, std::string_view config_json)
    : Provider(host), config_(parse_replay_config(config_json, host)), recording_(load(host, config_.source)) {}

void ReplayProvider::start() {
    producer_.stop();  // a start without a stop before it must not swap the player under a running thread
    player_.emplace(host(), recording_, config_, config_.source.file.filename().string());  // from the start
    producer_.start(
        host(), "replay", [this](std::int64_t schedule_ns) { return player_->step(schedule_ns); },
        [this](bool paused) { player_->set_paused(paused); });
}

}  // namespace mdp::replay
