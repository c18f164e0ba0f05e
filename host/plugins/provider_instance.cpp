#include "plugins/provider_instance.hpp"

#include "common/bounded_call.hpp"
#include "common/clock.hpp"
#include "config/bar_interval.hpp"
#include "isolation/runner_process.hpp"
#include "plugins/isolated_launch.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <tuple>

namespace mdp::plugins {

namespace {

constexpr std::size_t kErrorCapacity = 1024;

auto restart_fields(const config::RestartConfig& restart) {
    return std::tie(restart.policy, restart.initial_backoff_ms, restart.max_backoff_ms, restart.max_attempts,
                    restart.reset_after_ms, restart.start_timeout_ms, restart.stop_timeout_ms);
}

// Everything of a provider entry but its plugin's own "config" is the same.
bool same_except_config(const config::ProviderConfig& current, const config::ProviderConfig& next) {
    return current.plugin == next.plugin && current.enabled == next.enabled && current.required == next.required &&
           current.sha256 == next.sha256 && restart_fields(current.restart) == restart_fields(next.restart) &&
           current.scale_ok == next.scale_ok && current.scale_soft == next.scale_soft &&
           current.scale_hard == next.scale_hard && current.isolation == next.isolation &&
           current.limits == next.limits;
}

}  // namespace

ProviderInstance::ProviderInstance(std::uint32_t id, config::ProviderConfig config, PublishTarget target)
    : id_(id), config_(std::move(config)), publisher_(id_, config_.name, target, rate_scale_),
      extensions_(config_.config.origin->file, config_.shard, config_.name),
      services_table_(*this, publisher_, extensions_), state_since_ns_(common::utc_now_ns()) {
    publisher_.configure_bars(config_.bars);  // quietly: probes construct instances too
}

ProviderInstance::~ProviderInstance() {
    stop();
    destroy();
}

ProviderState ProviderInstance::state() const {
    std::lock_guard lock(state_mutex_);
    return state_;
}

void ProviderInstance::set_state(ProviderState state, const std::string& detail) {
    std::lock_guard lock(state_mutex_);
    if (state != state_) {
        spdlog::log(state == ProviderState::failed ? spdlog::level::err : spdlog::level::info,
                    "provider {}: {} -> {}{}{}", config_.name, to_string(state_), to_string(state),
                    detail.empty() ? "" : ": ", detail);
        state_since_ns_ = common::utc_now_ns();
    }
    state_ = state;
    detail_ = detail;
    if (state == ProviderState::failed) {
        last_error_ = detail;
    }
}

void ProviderInstance::report_state(ProviderState reported, const std::string& detail) {
    const ProviderState current = state();
    if (current == ProviderState::stopping || current == ProviderState::stopped) {
        return;  // late reports from a stopping provider must not resurrect it
    }
    set_state(reported, detail);
}

void ProviderInstance::fail(const std::string& reason) { set_state(ProviderState::failed, reason); }

void ProviderInstance::mark_disabled() { set_state(ProviderState::stopped, "disabled in the config"); }

void ProviderInstance::attach(std::shared_ptr<PluginLibrary> library) {
    {
        std::lock_guard lock(state_mutex_);
        library_ = std::move(library);
    }
    set_state(ProviderState::loaded, "plugin " + library_->info().id + " " + library_->info().version);
}

bool ProviderInstance::create(std::string& error) {
    std::array<char, kErrorCapacity> buffer{};
    const std::string config_json = config_.config.value.dump();
    extensions_.clear_config_problem();
    extensions_.metrics().clear();  // a re-created instance declares its metrics again
    extensions_.metrics().accept_declarations(true);
    publisher_.accept_subscriptions(true);
    mdp_provider_t* created = create_instance(config_json, buffer.data(), buffer.size());
    publisher_.accept_subscriptions(false);
    extensions_.metrics().accept_declarations(false);
    config_problem_ = created == nullptr ? extensions_.take_config_problem() : std::nullopt;
    if (created == nullptr || created->size < sizeof(mdp_provider_t) || created->start == nullptr ||
        created->stop == nullptr || created->destroy == nullptr) {
        buffer.back() = '\0';
        error = created == nullptr ? std::string(buffer.data()) : "the plugin returned a malformed provider table";
        if (created != nullptr && created->destroy != nullptr) {
            created->destroy(created);
        }
        if (error.empty()) {
            error = "the plugin's factory failed without a reason";
        }
        fail("create failed: " + error);
        return false;
    }
    provider_ = created;
    return true;
}

mdp_provider_t* ProviderInstance::create_instance(const std::string& config_json, char* error,
                                                  std::size_t error_capacity) {
    runner_failed_ = false;
    if (!isolated()) {
        const auto* factory = library_->provider_factory();
        return factory->create(factory, services_table_.table(), config_.name.c_str(), config_json.c_str(), error,
                               error_capacity);
    }
    std::string text;
    mdp_provider_t* created = isolation::create_in_runner(
        isolated_launch(
            config_, *library_, publisher_.blocks_when_full(), runner_stats_,
            [this](pipeline::DropReason reason, std::uint64_t count) { publisher_.count_drop(reason, count); }),
        services_table_.table(), config_.name.c_str(), config_json.c_str(), text, runner_failed_);
    const std::size_t length = std::min(text.size(), error_capacity - 1);
    text.copy(error, length);
    error[length] = '\0';
    return created;
}

bool ProviderInstance::call_plugin(const char* what, std::int64_t timeout_ms, std::function<void(mdp_provider_t*)> call,
                                   std::int64_t release_after_ms) {
    mdp_provider_t* provider = provider_;
    auto library = library_;  // keeps the code mapped while a late call still runs
    common::DetachedCall running([provider, library, call = std::move(call)] { call(provider); });
    bool returned = false;
    if (release_after_ms >= 0 && release_after_ms < timeout_ms) {
        returned = running.wait_for(std::chrono::milliseconds(release_after_ms));
        if (!returned) {
            release_publishes(what, release_after_ms);
            returned = running.wait_for(std::chrono::milliseconds(timeout_ms - release_after_ms));
        }
    } else {
        returned = running.wait_for(std::chrono::milliseconds(timeout_ms));
    }
    if (!returned) {
        hung_.store(true, std::memory_order_release);
        started_ = false;
        fail(std::string(what) + " did not return within " + std::to_string(timeout_ms) +
             " ms; the provider is abandoned (never called or restarted again; restart the host to recover it)");
    }
    return returned;
}

void ProviderInstance::release_publishes(const char* what, std::int64_t after_ms) {
    spdlog::warn(
        "provider {}: {} has not returned after {} ms; its publishes no longer wait for space in the full "
        "store queue (what does not fit is dropped, reason shutdown)",
        config_.name, what, after_ms);
    publisher_.release_waiting();
}

bool ProviderInstance::start(std::string& error) {
    std::unique_lock lifecycle(lifecycle_mutex_);
    if (hung() || provider_ == nullptr) {
        error = hung() ? "the provider is abandoned after a call that did not return" : "no provider instance";
        return false;
    }
    publisher_.wait_for_space_again();
    set_state(ProviderState::starting, "");
    struct StartResult {
        int32_t code = MDP_ERROR;
        std::array<char, kErrorCapacity> message{};
    };
    auto result = std::make_shared<StartResult>();
    publisher_.accept_subscriptions(true);
    const bool returned = call_plugin("start()", config_.restart.start_timeout_ms, [result](mdp_provider_t* provider) {
        result->code = provider->start(provider, result->message.data(), result->message.size());
    });
    publisher_.accept_subscriptions(false);
    if (!returned) {
        error = "start() did not return in time";
        return false;
    }
    if (result->code != MDP_OK) {
        result->message.back() = '\0';
        error = result->message[0] != '\0' ? std::string(result->message.data()) : "start failed without a reason";
        // A failed start may have left threads; stop() must be safe to call then.
        call_plugin("stop() after a failed start()", config_.restart.stop_timeout_ms,
                    [](mdp_provider_t* provider) { provider->stop(provider); });
        fail("start failed: " + error);
        return false;
    }
    started_ = true;
    {
        std::lock_guard lock(state_mutex_);
        started_at_ns_ = common::utc_now_ns();
    }
    if (state() == ProviderState::starting) {
        set_state(ProviderState::running, "");
    }
    return true;
}

void ProviderInstance::stop() {
    std::unique_lock lifecycle(lifecycle_mutex_);
    if (!started_ || provider_ == nullptr || hung()) {
        return;
    }
    const bool was_failed = state() == ProviderState::failed;
    set_state(ProviderState::stopping, "");
    const std::uint64_t dropped_before = dropped(pipeline::DropReason::shutdown);
    const std::int64_t timeout_ms = config_.restart.stop_timeout_ms;
    const bool returned = call_plugin(
        "stop()", timeout_ms, [](mdp_provider_t* provider) { provider->stop(provider); }, timeout_ms / 2);
    publisher_.unsubscribe_settlements();  // ranges settled while stop() ran were delivered to it
    const std::uint64_t dropped_now = dropped(pipeline::DropReason::shutdown) - dropped_before;
    if (dropped_now != 0) {
        spdlog::error(
            "provider {}: {} events dropped while stopping: the store queue stayed full past half of the stop "
            "deadline ({} ms)",
            config_.name, dropped_now, timeout_ms);
    }
    if (!returned) {
        return;
    }
    started_ = false;
    if (!was_failed) {
        set_state(ProviderState::stopped, "");
    } else {
        std::lock_guard lock(state_mutex_);
        state_ = ProviderState::failed;
        detail_ = last_error_;
    }
}

void ProviderInstance::destroy() {
    std::unique_lock lifecycle(lifecycle_mutex_);
    publisher_.unsubscribe_settlements();  // subscribed in create() but never started
    if (provider_ != nullptr && !hung()) {
        provider_->destroy(provider_);
        provider_ = nullptr;
    }
}

bool ProviderInstance::restart(std::string& error) {
    stop();
    if (hung()) {
        error = "the provider is abandoned after a call that did not return";
        return false;
    }
    destroy();
    std::uint64_t restart_number = 0;
    {
        std::lock_guard lock(state_mutex_);
        restart_number = ++restarts_;
    }
    spdlog::info("provider {}: restarting (restart {})", config_.name, restart_number);
    return create(error) && start(error);
}

void ProviderInstance::replace_config(const config::ProviderConfig& next) {
    std::lock_guard lock(state_mutex_);
    const std::string name = config_.name;
    config_ = next;
    config_.name = name;
}

int32_t ProviderInstance::reconfigure_in_place(const config::ProviderConfig& next, std::string& error) {
    // Isolated, the instance lives in the runner: the runner calls the plugin's extension.
    const auto reconfigure_call =
        isolated() ? &isolation::reconfigure_in_runner : library_->reconfigure_extension()->reconfigure;
    struct Result {
        int32_t code = MDP_ERROR;
        std::array<char, kErrorCapacity> message{};
    };
    auto result = std::make_shared<Result>();
    auto config_json = std::make_shared<const std::string>(next.config.value.dump());
    std::unique_lock lifecycle(lifecycle_mutex_);
    if (!call_plugin("reconfigure()", config_.restart.start_timeout_ms,
                     [reconfigure_call, config_json, result](mdp_provider_t* provider) {
                         result->code = reconfigure_call(provider, config_json->c_str(), result->message.data(),
                                                         result->message.size());
                     })) {
        error = "reconfigure() did not return in time";
        return MDP_ERROR;
    }
    if (result->code == MDP_ERROR) {
        result->message.back() = '\0';
        error =
            result->message[0] != '\0' ? std::string(result->message.data()) : "reconfigure failed without a reason";
    }
    return result->code;
}

ProviderInstance::ReconfigureOutcome ProviderInstance::reconfigure(const config::ProviderConfig& next,
                                                                   std::shared_ptr<PluginLibrary> library,
                                                                   std::string& error) {
    if (hung()) {
        error = "the provider is abandoned after a call that did not return";
        return ReconfigureOutcome::failed;
    }
    const bool in_place_possible = started_ && provider_ != nullptr && library == library_ &&
                                   library_->reconfigurable() && same_except_config(config_, next);
    if (in_place_possible) {
        const int32_t code = reconfigure_in_place(next, error);
        if (code == MDP_OK) {
            replace_config(next);
            spdlog::info("provider {}: reconfigured in place", config_.name);
            return ReconfigureOutcome::in_place;
        }
        if (code != MDP_RECONFIGURE_NEEDS_RESTART) {
            return ReconfigureOutcome::failed;
        }
        spdlog::info("provider {}: the plugin cannot apply this change in place; restarting it", config_.name);
    }
    stop();
    if (hung()) {
        error = "stop() did not return in time";
        return ReconfigureOutcome::failed;
    }
    destroy();
    replace_config(next);
    if (!next.enabled) {
        mark_disabled();
        return ReconfigureOutcome::restarted;
    }
    attach(std::move(library));
    if (!create(error) || !start(error)) {
        return ReconfigureOutcome::failed;
    }
    return ReconfigureOutcome::restarted;
}

void ProviderInstance::retire() {
    stop();
    destroy();
    retired_.store(true, std::memory_order_release);
    set_state(ProviderState::stopped, "removed from the config");
}

void ProviderInstance::apply_feedback(pipeline::Level level, double rate_scale, std::size_t queue_size,
                                      std::size_t capacity, bool notify) {
    rate_scale_.store(rate_scale, std::memory_order_relaxed);
    level_.store(static_cast<int>(level), std::memory_order_relaxed);
    if (!notify) {
        return;
    }
    feedback_by_level_[static_cast<std::size_t>(level)].fetch_add(1, std::memory_order_relaxed);
    // A start or stop in progress holds the lock for up to its timeout; the feedback thread
    // must not wait for it (the provider still reads the new scale through rate_scale()).
    std::shared_lock lifecycle(lifecycle_mutex_, std::try_to_lock);
    if (!lifecycle.owns_lock() || !started_ || provider_ == nullptr || provider_->on_feedback == nullptr) {
        return;
    }
    mdp_feedback_t feedback{};
    feedback.size = sizeof(feedback);
    feedback.level = static_cast<int32_t>(level);
    feedback.rate_scale = rate_scale;
    feedback.queue_size = queue_size;
    feedback.queue_capacity = capacity;
    feedback.timestamp_ns = common::utc_now_ns();
    provider_->on_feedback(provider_, &feedback);
}

void ProviderInstance::configure_bars(const config::BarsConfig& bars) {
    if (publisher_.configure_bars(bars)) {
        log_bars();
    }
}

void ProviderInstance::log_bars() const {
    const config::BarsConfig bars = publisher_.bars().config();
    if (!bars.enabled()) {
        spdlog::info("provider {}: the host builds no bars from its ticks", config_.name);
        return;
    }
    std::string intervals;
    for (const std::int64_t interval_ns : bars.intervals_ns) {
        intervals += (intervals.empty() ? "" : ", ") + config::bar_interval_text(interval_ns);
    }
    spdlog::info("provider {}: the host builds {} bars from its {} (grace {} ms)", config_.name, intervals,
                 config::to_string(bars.source), bars.grace_ms);
}

// ---------------------------------------------------------------- reporting

status::ProviderSnapshot ProviderInstance::snapshot() const {
    status::ProviderSnapshot result;
    {
        // config_ and library_ change on reconfigure (control thread, under this lock).
        std::lock_guard lock(state_mutex_);
        result.name = config_.name;
        result.enabled = config_.enabled;
        result.required = config_.required;
        if (library_) {
            const PluginInfo& info = library_->info();
            result.plugin_id = info.id;
            result.plugin_version = info.version;
            result.plugin_file = info.file;
            result.abi_version = info.abi_version_text();
        } else {
            result.plugin_id = config_.plugin;
        }
        result.state = std::string(to_string(state_));
        result.detail = detail_;
        result.last_error = last_error_;
        result.state_since_ns = state_since_ns_;
        result.started_at_ns = started_at_ns_;
        result.restarts = restarts_;
    }
    result.rate_scale = rate_scale();
    result.level = level_.load(std::memory_order_relaxed);
    for (const common::EventType type : common::kEventTypes) {
        result.published_by_type[std::string(to_string(type))] = publisher_.published(type);
    }
    for (const pipeline::DropReason reason : pipeline::kDropReasons) {
        result.dropped_by_reason[std::string(to_string(reason))] = publisher_.dropped(reason);
    }
    for (const pipeline::Level level : pipeline::kLevels) {
        result.feedback_by_level[std::string(to_string(level))] =
            feedback_by_level_[static_cast<std::size_t>(level)].load(std::memory_order_relaxed);
    }
    result.events_per_second = rate_sampler_.per_second(publisher_.published_total(), std::chrono::steady_clock::now());
    result.plugin_metrics = extensions_.metrics().samples();
    const config::BarsConfig bars = publisher_.bars().config();
    for (const std::int64_t interval_ns : bars.intervals_ns) {
        result.bar_intervals.push_back(config::bar_interval_text(interval_ns));
    }
    if (bars.enabled()) {
        result.bar_source = config::to_string(bars.source);
        for (const pipeline::IgnoredTick reason : pipeline::kIgnoredTicks) {
            result.bar_ticks_ignored[std::string(to_string(reason))] = publisher_.bars().ignored(reason);
        }
    }
    result.isolation = std::string(config::to_string(config_.isolation));
    result.runner_pid = runner_stats_.pid();
    result.runner_rss_bytes = result.runner_pid > 0 ? isolation::resident_bytes_of(result.runner_pid) : 0;
    result.crashes_by_signal = runner_stats_.crashes_by_signal();
    return result;
}

}  // namespace mdp::plugins
