#pragma once
// What the bar backfill (bar_backfill.hpp) has done, for the status page and the summary.

#include <cstddef>
#include <cstdint>

namespace mdp::ibkr {

struct BackfillCounters {
    std::uint64_t windows_queued = 0;  // gaps found, in total
    std::uint64_t requests_sent = 0;
    std::uint64_t windows_completed = 0;
    std::uint64_t windows_failed = 0;  // refused by TWS (after retries)
    std::uint64_t bars_published = 0;
    std::size_t pending = 0;  // windows waiting to be requested now
    std::size_t open = 0;  // requests waiting for their reply now
};

}  // namespace mdp::ibkr
