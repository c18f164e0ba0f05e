#pragma once
// One configured provider instance: its plugin, the C services table handed to it, its
// lifecycle state, and its counters. The host's single source of truth about a provider;
// the status page, metrics and readiness read it through snapshot().

#include "status/host_snapshot.hpp"
#include "config/host_config.hpp"
#include "pipeline/backpressure_controller.hpp"
#include "pipeline/overflow_policy.hpp"
#include "pipeline/rate_receiver.hpp"
#include "pipeline/event_origins.hpp"
#include "pipeline/store_queue.hpp"
#include "pipeline/stored_acks.hpp"
#include "plugins/host_extensions.hpp"
#include "plugins/plugin_library.hpp"
#include "plugins/provider_state.hpp"

#include <mdp/plugin_api.h>

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>

namespace mdp::plugins {

// Where published events go; shared by every provider instance.
// Without `stored_acks` / `origins` the instance does not offer the host extensions
// MDP_HOST_STORED_ACKS_ID / MDP_HOST_PUBLISH_IDENTIFIED_ID.
struct PublishTarget {
    pipeline::StoreQueue* queue = nullptr;
    pipeline::BackpressureController* controller = nullptr;
    pipeline::StoredAcks* stored_acks = nullptr;
    const pipeline::EventOrigins* origins = nullptr;
};

class ProviderInstance final : public pipeline::RateReceiver {
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
    // start() and stop() wait at most restart.start_timeout_ms / stop_timeout_ms for the
    // plugin; one that does not return is abandoned: failed, never called again (hung()).
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
    [[nodiscard]] double rate_scale() const { return rate_scale_.load(std::memory_order_relaxed); }

    // [any-thread] Counts an event evicted from the queue under drop_oldest.
    void count_evicted() { count_drop(pipeline::DropReason::queue_full_oldest, 1); }
    // [any-thread] Events dropped so far for `reason`.
    [[nodiscard]] std::uint64_t dropped(pipeline::DropReason reason) const {
        return dropped_[static_cast<std::size_t>(reason)].load(std::memory_order_relaxed);
    }

    [[nodiscard]] status::ProviderSnapshot snapshot() const;

   private:
    friend HostExtensions& host_extensions_of(const mdp_host_t* host);
    static ProviderInstance& self(const mdp_host_t* host);
    static int32_t publish_entry(const mdp_host_t* host, const mdp_event_t* events, uint32_t count,
                                 mdp_publish_result_t* result);
    static double rate_scale_entry(const mdp_host_t* host);
    static void log_entry(const mdp_host_t* host, int32_t level, const char* message);
    static void report_state_entry(const mdp_host_t* host, int32_t state, const char* detail);
    static int64_t now_ns_entry(const mdp_host_t* host);
    static const void* get_extension_entry(const mdp_host_t* host, const char* extension_id);
    // MDP_HOST_STORED_ACKS_ID and MDP_HOST_PUBLISH_IDENTIFIED_ID.
    static int32_t subscribe_settlements_entry(const mdp_host_t* host, mdp_stored_ack_fn on_settled, void* user_data);
    static int32_t publish_with_sequence_entry(const mdp_host_t* host, const mdp_event_t* events, uint32_t count,
                                               mdp_publish_result_t* result, uint64_t* first_sequence);
    static int32_t publish_identified_entry(const mdp_host_t* host, const mdp_event_origin_t* origin,
                                            const mdp_event_t* events, const uint64_t* origin_sequences, uint32_t count,
                                            mdp_publish_result_t* result, uint64_t* first_sequence);

    // Who the events of one publish call say they are: the host's own identity (origin_id 0),
    // or an interned origin and one origin sequence per record.
    struct CallIdentity {
        std::uint32_t origin_id = 0;
        const std::uint64_t* origin_sequences = nullptr;
    };
    // Validates and queues one call; `first_sequence` receives the call's first publish
    // sequence (0 when it took none). Every entry point ends here.
    int32_t publish_call(const mdp_event_t* events, std::uint32_t count, CallIdentity identity,
                         mdp_publish_result_t* result, std::uint64_t* first_sequence);
    std::uint32_t publish(const mdp_event_t* events, std::uint32_t count, CallIdentity identity,
                          std::uint64_t& first_sequence);
    // The origin's id, or 0 after counting `count` events as invalid and logging why.
    std::uint32_t accept_origin(const mdp_event_origin_t* origin, const std::uint64_t* origin_sequences,
                                std::uint32_t count);
    void reject_identity(std::uint32_t count, std::string_view reason);
    // [control-thread] No settlement callback into the plugin after this returns.
    void unsubscribe_settlements();
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
    void count_drop(pipeline::DropReason reason, std::uint64_t count);
    // [control-thread] In-place reconfigure through the plugin's extension; MDP_OK,
    // MDP_RECONFIGURE_NEEDS_RESTART or MDP_ERROR (then `error` is set).
    int32_t reconfigure_in_place(const config::ProviderConfig& next, std::string& error);
    void replace_config(const config::ProviderConfig& next);
    [[nodiscard]] double events_per_second() const;

    const std::uint32_t id_;
    // Written only on the control thread, under state_mutex_ (reconfigure()); `name` never
    // changes, so provider threads read it without the lock.
    config::ProviderConfig config_;
    const PublishTarget target_;
    mdp_host_t host_table_{};
    HostExtensions extensions_;
    std::optional<ReportedConfigProblem> config_problem_;
    std::shared_ptr<PluginLibrary> library_;
    mdp_provider_t* provider_ = nullptr;
    bool started_ = false;
    std::atomic<bool> hung_{false};
    std::atomic<bool> publishes_released_{false};  // see stop()
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

    std::atomic<double> rate_scale_{1.0};
    std::atomic<int> level_{0};
    std::atomic<std::uint64_t> next_sequence_{0};
    // Set while create() or start() runs: the only time a plugin may subscribe to settlements.
    std::atomic<bool> accepting_subscription_{false};
    pipeline::SettlementLog* settlement_log_ = nullptr;  // this id's log once subscribed; never freed
    std::atomic<std::int64_t> identity_rejection_logged_ns_{0};  // rate-limits the warning
    std::array<std::atomic<std::uint64_t>, 4> published_by_type_{};  // index = MDP_EVENT_* (0 unused)
    std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(pipeline::DropReason::count_)> dropped_{};
    std::array<std::atomic<std::uint64_t>, 3> feedback_by_level_{};

    mutable std::mutex rate_mutex_;  // guards the events/s sampling below
    mutable std::uint64_t rate_sample_total_ = 0;
    mutable std::chrono::steady_clock::time_point rate_sample_time_{};
    mutable double rate_per_second_ = 0.0;
};

}  // namespace mdp::plugins
