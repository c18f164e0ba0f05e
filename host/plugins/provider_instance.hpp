#pragma once
// One configured provider instance: its plugin and lifecycle (create, start and stop with
// their deadlines, restart, reconfigure), its state, and the parts it is made of: the
// publish path (provider_publisher), the C services table handed to the plugin
// (host_services_table) and the events/s sampler. The host's single source of truth about a
// provider; the status page, metrics and readiness read it through snapshot().

#include "status/host_snapshot.hpp"
#include "config/host_config.hpp"
#include "pipeline/backpressure_level.hpp"
#include "pipeline/overflow_policy.hpp"
#include "pipeline/rate_receiver.hpp"
#include "isolation/runner_stats.hpp"
#include "plugins/event_rate_sampler.hpp"
#include "plugins/host_extensions.hpp"
#include "plugins/host_services_table.hpp"
#include "plugins/plugin_library.hpp"
#include "plugins/provider_publisher.hpp"
#include "plugins/provider_state.hpp"

#include <mdp/plugin_api.h>

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>

namespace mdp::plugins {

class ProviderInstance final : public pipeline::RateReceiver, private HostServicesOwner {
   public:
    ProviderInstance(std::uint32_t id, config::ProviderConfig config, PublishTarget target);
    ~ProviderInstance() override;
    ProviderInstance(const ProviderInstance&) = delete;
    ProviderInstance& operator=(const ProviderInstance&) = delete;

    [[nodiscard]] std::uint32_t id() const { return id_; }
    [[nodiscard]] const config::ProviderConfig& config() const { return config_; }
    [[nodiscard]] const std::string& name() const { return config_.name; }
    [[nodiscard]] ProviderState state() const;
    [[nodiscard]] bool has_instance() const { return provider_ != nullptr; }
    // [control-thread] The plugin library attached (null before attach()).
    [[nodiscard]] const std::shared_ptr<PluginLibrary>& library() const { return library_; }

    // [control-thread] Lifecycle. create() and start() return false after recording the
    // reason as the failed state's detail (also returned in `error`).
    void attach(std::shared_ptr<PluginLibrary> library);
    bool create(std::string& error);
    // [control-thread] What the plugin named through MDP_HOST_CONFIG_PROBLEM_ID during the
    // last failed create(), if it did.
    [[nodiscard]] const std::optional<ReportedConfigProblem>& config_problem() const { return config_problem_; }
    // [control-thread] The last failed create() failed in the isolation itself (the runner could
    // not be started or load the plugin, or died), not in the plugin's create().
    [[nodiscard]] bool runner_failed() const { return runner_failed_; }
    // start() and stop() run the plugin's call on a helper thread (common/bounded_call.hpp)
    // and wait at most restart.start_timeout_ms / stop_timeout_ms for it; one that does not
    // return is abandoned: failed, never called again (hung()).
    bool start(std::string& error);
    // stop() then state stopped; no-op unless started. The queue stays open meanwhile, so
    // what the plugin flushes in its stop() is stored. When stop() has not returned after
    // half of stop_timeout_ms (typically: blocked in publish on a full queue the store
    // cannot drain), this instance's publishes stop waiting for space and what does not
    // fit is dropped (reason shutdown, logged); other instances keep waiting normally.
    void stop();
    void destroy();  // destroy() the plugin instance (not for a hung one)
    // [control-thread] stop, destroy, create and start again; counts a restart.
    bool restart(std::string& error);

    enum class ReconfigureOutcome { in_place, restarted, failed };
    // [control-thread] Takes `next` (same name; validated beforehand) with the plugin
    // `library` resolved for it. In place through the plugin's reconfigure extension when
    // only `config` changed, the library is the same and the instance runs; otherwise (or
    // when the plugin answers that the change needs a restart) stop, destroy, create with
    // `next` and start again — losslessly, like stop(). `error` says why it failed; after an
    // in-place refusal the instance runs on with its previous config.
    ReconfigureOutcome reconfigure(const config::ProviderConfig& next, std::shared_ptr<PluginLibrary> library,
                                   std::string& error);
    // [control-thread] Removed from the config: stopped (losslessly) and destroyed; it keeps
    // its id (events of it may still be queued) but is no longer reported.
    void retire();
    [[nodiscard]] bool retired() const { return retired_.load(std::memory_order_acquire); }
    // A plugin call did not return in time: the plugin may still run code that uses this
    // object, so it must never be destroyed (the registry leaks it on purpose).
    [[nodiscard]] bool hung() const { return hung_.load(std::memory_order_acquire); }
    [[nodiscard]] bool started() const { return started_; }
    void fail(const std::string& reason);
    void mark_disabled();  // state stopped with a detail saying so; never created

    // pipeline::RateReceiver
    void apply_feedback(pipeline::Level level, double rate_scale, std::size_t queue_size, std::size_t capacity,
                        bool notify) override;
    [[nodiscard]] double current_rate_scale() const override { return rate_scale(); }
    [[nodiscard]] double rate_scale() const override { return rate_scale_.load(std::memory_order_relaxed); }

    // [any-thread] Counts an event evicted from the queue under drop_oldest.
    void count_evicted() { publisher_.count_drop(pipeline::DropReason::queue_full_oldest, 1); }
    // [any-thread] Events dropped so far for `reason`.
    [[nodiscard]] std::uint64_t dropped(pipeline::DropReason reason) const { return publisher_.dropped(reason); }

    // The host's bar operator (ProviderPublisher): [control-thread] new settings, applied at
    // once (the bars open under the old ones are queued first); [bar timer thread] closing
    // what is due, returning when the next bar is; [control-thread, before the queue closes]
    // queuing every open bar.
    void configure_bars(const config::BarsConfig& bars);
    // [control-thread] Logs the bars the host builds for this instance (none: says so).
    void log_bars() const;
    std::int64_t close_due_bars(std::int64_t now_ns) { return publisher_.close_due_bars(now_ns); }
    void flush_bars() { publisher_.flush_bars(); }
    // [control-thread, at shutdown] From now on this instance's publishes (and bars) never wait
    // for space in a full queue: what does not fit is dropped (reason shutdown).
    void release_waiting_publishes() { publisher_.release_waiting(); }

    [[nodiscard]] status::ProviderSnapshot snapshot() const;

   private:
    // HostServicesOwner
    [[nodiscard]] const std::string& provider_name() const override { return config_.name; }
    // Ignored while stopping or stopped: late reports must not resurrect the provider.
    void report_state(ProviderState reported, const std::string& detail) override;

    void set_state(ProviderState state, const std::string& detail);
    // Calls `call(provider)` on its own thread, waiting at most `timeout_ms`; on a timeout
    // marks the instance hung and failed with a reason naming `what`.
    // With `release_after_ms` >= 0, blocked publishes are released (release_publishes())
    // once the call has run that long.
    bool call_plugin(const char* what, std::int64_t timeout_ms, std::function<void(mdp_provider_t*)> call,
                     std::int64_t release_after_ms = -1);
    // [control-thread] From now until the next start(), publishes of this instance never
    // wait for space in a full queue.
    void release_publishes(const char* what, std::int64_t after_ms);
    // [control-thread] In-place reconfigure through the plugin's extension; MDP_OK,
    // MDP_RECONFIGURE_NEEDS_RESTART or MDP_ERROR (then `error` is set).
    int32_t reconfigure_in_place(const config::ProviderConfig& next, std::string& error);
    void replace_config(const config::ProviderConfig& next);
    // The plugin's factory create(), in this process or in a new runner.
    mdp_provider_t* create_instance(const std::string& config_json, char* error, std::size_t error_capacity);
    [[nodiscard]] bool isolated() const { return config_.isolated(); }

    const std::uint32_t id_;
    // Written only on the control thread, under state_mutex_ (reconfigure()); `name` never
    // changes, so provider threads read it without the lock.
    config::ProviderConfig config_;
    std::atomic<double> rate_scale_{1.0};
    ProviderPublisher publisher_;
    HostExtensions extensions_;
    HostServicesTable services_table_;
    std::optional<ReportedConfigProblem> config_problem_;
    // With "isolation": "process": provider_ is the runner's proxy (isolation/runner_provider).
    isolation::RunnerStats runner_stats_;
    bool runner_failed_ = false;
    std::shared_ptr<PluginLibrary> library_;
    mdp_provider_t* provider_ = nullptr;
    bool started_ = false;
    std::atomic<bool> hung_{false};
    std::atomic<bool> retired_{false};
    // Feedback delivery holds it shared; stop/destroy hold it exclusively, so on_feedback
    // never runs concurrently with or after stop().
    std::shared_mutex lifecycle_mutex_;

    mutable std::mutex state_mutex_;
    ProviderState state_ = ProviderState::loaded;
    std::string detail_;
    std::string last_error_;
    std::int64_t state_since_ns_ = 0;
    std::int64_t started_at_ns_ = 0;
    std::uint64_t restarts_ = 0;

    std::atomic<int> level_{0};
    std::array<std::atomic<std::uint64_t>, pipeline::kLevels.size()> feedback_by_level_{};  // index = Level
    mutable EventRateSampler rate_sampler_;
};

}  // namespace mdp::plugins
