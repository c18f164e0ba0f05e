#pragma once
// Wall-clock time as the ABI speaks it: UTC nanoseconds since the Unix epoch.

#include <chrono>
#include <cstdint>

namespace mdp::common {

inline std::int64_t utc_now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace mdp::common
