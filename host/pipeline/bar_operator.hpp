#pragma once
// The host's bar operator for one provider instance: a BarBuilder behind a lock, fed with the
// ticks the provider published, closing bars on time from the bar timer, flushing them when
// the host stops or the settings change. It publishes nothing itself: each call hands the
// bars it closed, while still holding its lock, to a `publish(std::span<const mdp_event_t>)`
// callable of the caller (the provider's publish path, which queues them as the provider's
// own events), so one provider's bars are queued in the order they closed.
//
// Threads: observe() on the provider's publishing threads (concurrently: they serialise on
// the lock, only when bars are configured), close_due() on the bar timer thread, configure()
// and flush() on the control thread. After the first ticks of each symbol nothing allocates:
// the closed bars go to a scratch vector that keeps its capacity.

#include "config/host_config.hpp"
#include "pipeline/bar_builder.hpp"
#include "pipeline/ignored_tick.hpp"

#include <mdp/plugin_api.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>

namespace mdp::pipeline {

class BarOperator {
   public:
    // False until configure() with intervals; read on every publish, so it is one atomic load.
    [[nodiscard]] bool enabled() const { return enabled_.load(std::memory_order_acquire); }
    // The settings in force (no intervals: off).
    [[nodiscard]] config::BarsConfig config() const;
    // Ticks left out so far, for `reason`.
    [[nodiscard]] std::uint64_t ignored(IgnoredTick reason) const {
        return ignored_[static_cast<std::size_t>(reason)].load(std::memory_order_relaxed);
    }

    // `count` records at `events` (stride `stride` bytes, each at least an mdp_event_t) that the
    // store queue accepted from the provider, at wall-clock `now_ns`.
    template <typename Publish>
    void observe(const unsigned char* events, std::size_t stride, std::uint32_t event_count, std::int64_t now_ns,
                 Publish&& publish);
    // Closes the bars whose end + grace passed; returns next_due_ns() (kNothingDue when off).
    template <typename Publish>
    std::int64_t close_due(std::int64_t now_ns, Publish&& publish);
    // Closes every open bar, complete or not.
    template <typename Publish>
    void flush(std::int64_t now_ns, Publish&& publish);
    // Flushes the bars open under the current settings, then applies `next` (empty intervals:
    // off). Nothing happens when `next` equals the current settings (or both are off); returns
    // whether anything changed.
    template <typename Publish>
    bool configure(const config::BarsConfig& next, std::int64_t now_ns, Publish&& publish);

   private:
    void count_outcome(TickOutcome outcome);
    template <typename Publish>
    void hand_out(Publish& publish);

    mutable std::mutex mutex_;
    std::optional<BarBuilder> builder_;  // empty while off
    BarBuilder::ClosedBars closed_;  // scratch, reused under the lock
    std::atomic<bool> enabled_{false};
    std::array<std::atomic<std::uint64_t>, kIgnoredTicks.size()> ignored_{};  // index = IgnoredTick
};

template <typename Publish>
void BarOperator::hand_out(Publish& publish) {
    if (!closed_.empty()) {
        publish(std::span<const mdp_event_t>(closed_));
        closed_.clear();
    }
}

template <typename Publish>
void BarOperator::observe(const unsigned char* events, std::size_t stride, std::uint32_t event_count,
                          std::int64_t now_ns, Publish&& publish) {
    std::lock_guard lock(mutex_);
    if (!builder_) {
        return;
    }
    for (std::uint32_t index = 0; index < event_count; ++index) {
        count_outcome(builder_->add(*reinterpret_cast<const mdp_event_t*>(events + index * stride), now_ns, closed_));
    }
    hand_out(publish);
}

template <typename Publish>
std::int64_t BarOperator::close_due(std::int64_t now_ns, Publish&& publish) {
    std::lock_guard lock(mutex_);
    if (!builder_) {
        return BarBuilder::kNothingDue;
    }
    builder_->close_due(now_ns, closed_);
    hand_out(publish);
    return builder_->next_due_ns();
}

template <typename Publish>
void BarOperator::flush(std::int64_t now_ns, Publish&& publish) {
    std::lock_guard lock(mutex_);
    if (builder_) {
        builder_->flush(now_ns, closed_);
        hand_out(publish);
    }
}

template <typename Publish>
bool BarOperator::configure(const config::BarsConfig& next, std::int64_t now_ns, Publish&& publish) {
    std::lock_guard lock(mutex_);
    const config::BarsConfig current = builder_ ? builder_->config() : config::BarsConfig{};
    if (current == next || (!current.enabled() && !next.enabled())) {
        return false;
    }
    if (builder_) {
        builder_->flush(now_ns, closed_);
        hand_out(publish);
    }
    if (next.enabled()) {
        builder_.emplace(next);
    } else {
        builder_.reset();
    }
    enabled_.store(next.enabled(), std::memory_order_release);
    return true;
}

}  // namespace mdp::pipeline
