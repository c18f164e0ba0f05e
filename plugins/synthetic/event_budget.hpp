#pragma once
// The `max_events` budget shared by one provider instance's worker threads: each worker
// claims a batch's worth before building it, so together they publish exactly the limit.
// [any-thread], lock-free.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <optional>

namespace mdp::synthetic {

class EventBudget {
   public:
    // No limit when `limit` is unset.
    explicit EventBudget(std::optional<std::uint64_t> limit) noexcept
        : limited_(limit.has_value()), remaining_(limit.value_or(std::numeric_limits<std::uint64_t>::max())) {}

    // Grants up to `wanted` events (0 once the budget is spent).
    std::uint32_t claim(std::uint32_t wanted) noexcept {
        if (!limited_) {
            return wanted;
        }
        std::uint64_t remaining = remaining_.load(std::memory_order_relaxed);
        std::uint64_t granted = 0;
        do {
            granted = std::min<std::uint64_t>(wanted, remaining);
        } while (granted > 0 &&
                 !remaining_.compare_exchange_weak(remaining, remaining - granted, std::memory_order_relaxed));
        return static_cast<std::uint32_t>(granted);
    }

    [[nodiscard]] bool limited() const noexcept { return limited_; }
    [[nodiscard]] bool exhausted() const noexcept {
        return limited_ && remaining_.load(std::memory_order_relaxed) == 0;
    }

   private:
    bool limited_;
    std::atomic<std::uint64_t> remaining_;
};

}  // namespace mdp::synthetic
