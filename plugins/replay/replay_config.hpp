#pragma once
// The replay provider's settings, read from its "config" object (README.md documents every
// key). Throws sdk::ConfigProblem with the key path.

#include "recording.hpp"

#include <mdp/plugin.hpp>

#include <cstdint>
#include <string_view>

namespace mdp::replay {

struct ReplayConfig {
    RecordingSource source;  // file resolved against the host config file's directory
    double speed = 1.0;  // x the recorded pace; 0 = as fast as possible
    bool loop = false;  // start again after the last event, until stopped
    std::uint32_t batch_size = 256;  // events per publish call at most
};

ReplayConfig parse_replay_config(std::string_view json_text, const sdk::Host& host);

}  // namespace mdp::replay
