#pragma once
// The rate scale the host last told this provider (0.0..1.0), shared between the feedback
// thread (writer), the publisher (writer, from publish results) and the socket thread
// (reader, to route quotes). Relaxed atomics: a slightly stale scale only shifts one batch.

#include <atomic>

namespace mdp::ibkr {

class RateScaleCell {
   public:
    explicit RateScaleCell(double initial = 1.0) noexcept : scale_(initial) {}
    [[nodiscard]] double load() const noexcept { return scale_.load(std::memory_order_relaxed); }
    void store(double scale) noexcept {
        scale_.store(scale < 0.0 ? 0.0 : (scale > 1.0 ? 1.0 : scale), std::memory_order_relaxed);
    }

   private:
    std::atomic<double> scale_;
};

}  // namespace mdp::ibkr
