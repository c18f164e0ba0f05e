#pragma once
// Restarts failed providers according to their restart policy, with capped exponential
// backoff and jitter, and gives up (the provider stays failed with its last reason) after
// max_attempts consecutive restarts. Runs on the control thread, one tick at a time.
//
//  never       a failed provider stays failed.
//  on-failure  a provider that failed after it was running is restarted; one that cannot be
//              created or started at all (a config or environment error) is not.
//  always      every failure is retried, including create/start failures.
// A provider running for reset_after_ms counts as healthy again: its next failure starts the
// backoff from the beginning. Hung providers (a call that never returned) are never touched.

#include "plugins/provider_registry.hpp"

#include <chrono>
#include <random>
#include <vector>

namespace mdp::plugins {

class ProviderSupervisor {
   public:
    using Clock = std::chrono::steady_clock;

    explicit ProviderSupervisor(ProviderRegistry& registry);

    // [control-thread] Restarts what is due. Returns the first required provider that failed
    // and will not be restarted (the host then exits 1), or "".
    std::string tick(Clock::time_point now);

    // [control-thread] An operator restarted or started it: forget earlier failures, so
    // the backoff and the attempt cap start over.
    void forgive(std::uint32_t provider_id);

    // [control-thread] Marks providers that failed during startup (create/start) so that
    // only `always` retries them.
    void note_startup_failures();

   private:
    struct Tracking {
        bool ever_ran = false;  // reached running/degraded at least once
        int attempts = 0;  // consecutive restarts so far
        bool scheduled = false;
        Clock::time_point due{};
        Clock::time_point running_since{};
        bool gave_up = false;
    };

    [[nodiscard]] bool may_restart(const ProviderInstance& instance, const Tracking& tracking) const;
    [[nodiscard]] std::chrono::milliseconds backoff(const config::RestartConfig& restart, int attempt);

    ProviderRegistry& registry_;
    std::vector<Tracking> tracking_;
    std::mt19937_64 jitter_source_;
};

}  // namespace mdp::plugins
