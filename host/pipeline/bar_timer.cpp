#include "pipeline/bar_timer.hpp"

#include "common/clock.hpp"

#include <algorithm>

namespace mdp::pipeline {

namespace {

// Never spin on a due time the wall clock has not quite reached.
constexpr std::chrono::nanoseconds kMinSleep = std::chrono::milliseconds(1);

}  // namespace

void BarTimer::start() {
    if (!thread_.joinable()) {
        thread_ = std::thread([this] { run(); });
    }
}

void BarTimer::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void BarTimer::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        const std::int64_t next_due_ns = close_due_(common::utc_now_ns());
        const std::int64_t now_ns = common::utc_now_ns();
        lock.lock();
        const auto until_due = std::chrono::nanoseconds(next_due_ns > now_ns ? next_due_ns - now_ns : 0);
        const auto sleep = std::clamp<std::chrono::nanoseconds>(until_due, kMinSleep, kMaxSleep);
        wake_.wait_for(lock, sleep, [this] { return stopping_; });
    }
}

}  // namespace mdp::pipeline
