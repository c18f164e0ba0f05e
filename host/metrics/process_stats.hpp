#pragma once
// Resource usage of this process, read from /proc/self (Linux), for the standard
// `process_*` metrics. A value that cannot be read is left empty rather than guessed.

#include <optional>

namespace mdp::metrics {

struct ProcessStats {
    std::optional<double> resident_memory_bytes;
    std::optional<double> virtual_memory_bytes;
    std::optional<double> cpu_seconds_total;  // user + system
    std::optional<double> start_time_seconds;  // Unix time
    std::optional<double> open_fds;
    std::optional<double> max_fds;  // soft RLIMIT_NOFILE
};

// [any thread] A fresh reading; costs a few small /proc reads (tens of microseconds).
[[nodiscard]] ProcessStats read_process_stats();

}  // namespace mdp::metrics
