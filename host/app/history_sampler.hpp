#pragma once
// Feeds the history ring (history_ring.hpp) on a thread of its own: one reading at start (the
// baseline of every counter) and one every interval after it. Its own thread, not the control
// thread, because the control thread blocks for seconds in provider stops, starts and reloads
// — exactly when an operator looks at the charts — and not the feedback thread, whose work is
// delivering backpressure to providers on time; a reading here takes the providers' and
// sinks' snapshots, which is not free. Rates divide by the measured time between readings, so
// a late reading makes a longer interval, never a wrong rate.
//
// Between readings the queue's depth and level are noted on the backpressure controller's
// tick (every 100 ms, note_queue()), so a sample holds the highest depth and level of its
// interval, not one instant's.

#include "app/history_ring.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace mdp::app {

class HistorySampler {
   public:
    // [sampler thread] Fills a reading at this instant: time, counters, and the queue's
    // depth and level now. May throw (the reading is skipped and logged).
    using Reader = std::function<HistoryReading()>;

    HistorySampler(HistoryRing& ring, std::chrono::milliseconds interval, Reader read);
    ~HistorySampler();
    HistorySampler(const HistorySampler&) = delete;
    HistorySampler& operator=(const HistorySampler&) = delete;

    void start();  // [control thread] takes the first reading on the new thread; once only
    void stop();  // [control thread] joins; idempotent

    // [any thread, lock-free] Notes the queue's depth and level for the current interval.
    void note_queue(std::uint64_t depth, int level_value);

   private:
    void run();
    void sample();

    HistoryRing& ring_;
    const std::chrono::milliseconds interval_;
    const Reader read_;
    std::atomic<std::uint64_t> peak_depth_{0};  // since the last reading
    std::atomic<int> peak_level_{0};
    std::mutex mutex_;  // guards stopping_ for the wait
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace mdp::app
