#pragma once
// The metrics one provider instance declared through the metrics extension (plugin_api.h,
// MDP_HOST_METRICS_ID): validated declarations and their current values.
//
// Threads: declare() and clear() on the control thread (during and around the factory's
// create()); set() from any plugin thread, lock-free; samples() from the snapshot's thread.
// The declarations do not change between a declare() and the next clear(), and clear() runs
// only while the plugin has no instance, so set() never races with them; samples() takes the
// lock that declare() and clear() hold.

#include "status/plugin_metric.hpp"

#include <mdp/plugin_api.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mdp::plugins {

class ProviderMetrics {
   public:
    // [control-thread] Opens (before the factory's create()) and closes (after it) the window
    // in which declare() is accepted.
    void accept_declarations(bool accept) { accepting_.store(accept); }
    // Validates and keeps `count` declarations; "" on success, otherwise why nothing was kept.
    std::string declare(const mdp_metric_declaration_t* declarations, std::uint32_t count);
    void set(std::uint32_t index, double value) noexcept;
    // Forgets the declarations (before a new create()).
    void clear();
    [[nodiscard]] std::vector<status::PluginMetric> samples() const;

   private:
    mutable std::mutex mutex_;  // guards declared_ against samples()
    std::vector<status::PluginMetric> declared_;  // values unused: they live in values_
    std::unique_ptr<std::atomic<double>[]> values_;
    std::atomic<std::uint32_t> count_{0};  // how many values_ set() may touch
    std::atomic<bool> accepting_{false};
};

}  // namespace mdp::plugins
