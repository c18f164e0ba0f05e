#pragma once
// One backpressure transition, as published to in-process subscribers, the status API and
// (optionally) other processes over HTTP.

#include <cstdint>
#include <string>

namespace mdp::status {

struct FeedbackEvent {
    std::string coordinator_id;  // "store_coordinator"
    std::uint64_t queue_size = 0;  // depth that caused the transition (events)
    std::uint64_t capacity = 0;  // queue capacity (events)
    std::string level;  // "ok", "soft", "hard"
    int level_value = 0;  // 0, 1, 2
    std::string reason;  // human-readable, e.g. "depth 8000 >= high watermark 8000"
    double utilization = 0.0;  // queue_size / capacity
    std::int64_t timestamp_ns = 0;  // UTC
};

}  // namespace mdp::status
