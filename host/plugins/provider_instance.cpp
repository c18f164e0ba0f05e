#include "plugins/provider_instance.hpp"

#include "common/bounded_call.hpp"
#include "common/clock.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <tuple>

namespace mdp::plugins {

namespace {

constexpr std::size_t kErrorCapacity = 1024;
constexpr std::size_t kDetailMaxBytes = 511;

std::string bounded_text(const char* text) {
    if (text == nullptr) {
        return {};
    }
    return std::string(text, ::strnlen(text, kDetailMaxBytes));
}

spdlog::level::level_enum to_spdlog_level(int32_t level) {
    switch (level) {
        case MDP_LOG_TRACE:
            return spdlog::level::trace;
        case MDP_LOG_DEBUG:
            return spdlog::level::debug;
        case MDP_LOG_INFO:
            return spdlog::level::info;
        case MDP_LOG_WARN:
            return spdlog::level::warn;
        default:
            return spdlog::level::err;
    }
}

auto restart_fields(const config::RestartConfig& restart) {
    return std::tie(restart.policy, restart.initial_backoff_ms, restart.max_backoff_ms, restart.max_attempts,
                    restart.reset_after_ms, restart.start_timeout_ms, restart.stop_timeout_ms);
}

// Everything of a provider entry but its plugin's own "config" is the same.
bool same_except_config(const config::ProviderConfig& current, const config::ProviderConfig& next) {
    return current.plugin == next.plugin && current.enabled == next.enabled && current.required == next.required &&
           current.sha256 == next.sha256 && restart_fields(current.restart) == restart_fields(next.restart) &&
           current.scale_ok == next.scale_ok && current.scale_soft == next.scale_soft &&
           current.scale_hard == next.scale_hard;
}

bool valid_event_type(std::uint16_t type) {
    return type == MDP_EVENT_QUOTE || type == MDP_EVENT_TRADE || type == MDP_EVENT_BAR;
}

// A rejected identity is logged at most this often per instance (each rejection is counted).
constexpr std::int64_t kIdentityWarningIntervalNs = 1'000'000'000;

// Sinks store seq as a signed 64-bit integer.
constexpr std::uint64_t kMaxOriginSequence = static_cast<std::uint64_t>(INT64_MAX);

}  // namespace

ProviderInstance::ProviderInstance(std::uint32_t id, config::ProviderConfig config, PublishTarget target)
    : id_(id), config_(std::move(config)), target_(target), extensions_(config_.config.origin->file, config_.shard),
      state_since_ns_(common::utc_now_ns()) {
    host_table_.size = sizeof(mdp_host_t);
    host_table_.abi_version = host_abi_version();
    host_table_.host_data = this;
    host_table_.publish = &publish_entry;
    host_table_.rate_scale = &rate_scale_entry;
    host_table_.log = &log_entry;
    host_table_.report_state = &report_state_entry;
    host_table_.now_ns = &now_ns_entry;
    host_table_.get_extension = &get_extension_entry;
    static constexpr mdp_host_stored_acks_t kStoredAcks{sizeof(mdp_host_stored_acks_t), &subscribe_settlements_entry,
                                                        &publish_with_sequence_entry};
    static constexpr mdp_host_publish_identified_t kPublishIdentified{sizeof(mdp_host_publish_identified_t),
                                                                      &publish_identified_entry};
    extensions_.offer_publish_extensions(target_.stored_acks != nullptr ? &kStoredAcks : nullptr,
                                         target_.origins != nullptr ? &kPublishIdentified : nullptr);
    rate_sample_time_ = std::chrono::steady_clock::now();
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
    const auto* factory = library_->provider_factory();
    extensions_.clear_config_problem();
    accepting_subscription_.store(true, std::memory_order_release);
    mdp_provider_t* created =
        factory->create(factory, &host_table_, config_.name.c_str(), config_json.c_str(), buffer.data(), buffer.size());
    accepting_subscription_.store(false, std::memory_order_release);
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
    publishes_released_.store(true, std::memory_order_release);
    target_.queue->wake_blocked_producers();
}

bool ProviderInstance::start(std::string& error) {
    std::unique_lock lifecycle(lifecycle_mutex_);
    if (hung() || provider_ == nullptr) {
        error = hung() ? "the provider is abandoned after a call that did not return" : "no provider instance";
        return false;
    }
    publishes_released_.store(false, std::memory_order_release);
    set_state(ProviderState::starting, "");
    struct StartResult {
        int32_t code = MDP_ERROR;
        std::array<char, kErrorCapacity> message{};
    };
    auto result = std::make_shared<StartResult>();
    accepting_subscription_.store(true, std::memory_order_release);
    const bool returned = call_plugin("start()", config_.restart.start_timeout_ms, [result](mdp_provider_t* provider) {
        result->code = provider->start(provider, result->message.data(), result->message.size());
    });
    accepting_subscription_.store(false, std::memory_order_release);
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
    unsubscribe_settlements();  // ranges settled while stop() ran were delivered to it
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
    unsubscribe_settlements();  // subscribed in create() but never started
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
    const auto* extension = library_->reconfigure_extension();
    struct Result {
        int32_t code = MDP_ERROR;
        std::array<char, kErrorCapacity> message{};
    };
    auto result = std::make_shared<Result>();
    auto config_json = std::make_shared<const std::string>(next.config.value.dump());
    std::unique_lock lifecycle(lifecycle_mutex_);
    if (!call_plugin("reconfigure()", config_.restart.start_timeout_ms,
                     [extension, config_json, result](mdp_provider_t* provider) {
                         result->code = extension->reconfigure(provider, config_json->c_str(), result->message.data(),
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
                                   library_->reconfigure_extension() != nullptr && same_except_config(config_, next);
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

void ProviderInstance::count_drop(pipeline::DropReason reason, std::uint64_t count) {
    dropped_[static_cast<std::size_t>(reason)].fetch_add(count, std::memory_order_relaxed);
}

// ---------------------------------------------------------------- the publish path

std::uint32_t ProviderInstance::publish(const mdp_event_t* events, std::uint32_t count, CallIdentity identity,
                                        std::uint64_t& first_sequence) {
    const std::size_t stride = events[0].size;
    const auto* bytes = reinterpret_cast<const unsigned char*>(events);
    for (std::uint32_t index = 0; index < count; ++index) {
        const auto* event = reinterpret_cast<const mdp_event_t*>(bytes + index * stride);
        if (!valid_event_type(event->type)) {
            count_drop(pipeline::DropReason::invalid, count);
            return 0;
        }
    }
    std::array<std::uint64_t, 4> by_type{};
    first_sequence = next_sequence_.fetch_add(count, std::memory_order_relaxed) + 1;
    // publish_entry() rejects records shorter than this host's layout, so every record has at
    // least sizeof(mdp_event_t) bytes: a fixed-size copy, which the compiler inlines (a
    // variable-size one became a `rep movsq` per event, the publish path's largest cost).
    const auto fill = [&](pipeline::StoreEvent& slot, std::size_t index) {
        const unsigned char* source = bytes + index * stride;
        std::memcpy(&slot.event, source, sizeof(mdp_event_t));
        slot.event.size = sizeof(mdp_event_t);
        slot.event.symbol[MDP_SYMBOL_CAPACITY - 1] = '\0';
        slot.sequence = first_sequence + index;
        slot.provider_id = id_;
        slot.origin_id = identity.origin_id;
        slot.origin_sequence = identity.origin_id != 0 ? identity.origin_sequences[index] : 0;
        ++by_type[slot.event.type];
    };
    const pipeline::PushResult pushed = target_.queue->push(count, fill, &publishes_released_);
    for (std::size_t type = 1; type < by_type.size(); ++type) {
        if (by_type[type] != 0) {
            published_by_type_[type].fetch_add(by_type[type], std::memory_order_relaxed);
        }
    }
    if (pushed.accepted < count) {
        // Refused by drop_newest at a full queue, else refused because this producer is
        // stopping (queue closed, or its publishes released by its stop deadline).
        count_drop(pushed.refused_full ? pipeline::DropReason::queue_full_newest : pipeline::DropReason::shutdown,
                   count - pushed.accepted);
        if (target_.stored_acks != nullptr) {
            if (pipeline::SettlementLog* log = target_.stored_acks->find(id_)) {
                log->settle(first_sequence + pushed.accepted, first_sequence + count - 1,
                            pipeline::Settlement::dropped);
            }
        }
    }
    return static_cast<std::uint32_t>(pushed.accepted);
}

ProviderInstance& ProviderInstance::self(const mdp_host_t* host) {
    return *static_cast<ProviderInstance*>(host->host_data);
}

int32_t ProviderInstance::publish_call(const mdp_event_t* events, std::uint32_t count, CallIdentity identity,
                                       mdp_publish_result_t* result, std::uint64_t* first_sequence) {
    int32_t status = MDP_OK;
    std::uint32_t accepted = 0;
    std::uint64_t first = 0;
    if (count != 0 && (events == nullptr || events[0].size < sizeof(mdp_event_t))) {
        // 1.0 is the smallest record layout; anything shorter is not a record at all.
        count_drop(pipeline::DropReason::invalid, count);
        status = MDP_ERROR;
    } else if (count != 0) {
        accepted = publish(events, count, identity, first);  // unknown types: dropped, MDP_OK, first 0
    }
    const pipeline::Level level = target_.controller->observe(target_.queue->depth());
    if (result != nullptr && result->size >= sizeof(mdp_publish_result_t)) {
        result->accepted = accepted;
        result->level = static_cast<int32_t>(level);
        result->rate_scale = rate_scale();
    }
    if (first_sequence != nullptr) {
        *first_sequence = first;
    }
    return status;
}

int32_t ProviderInstance::publish_entry(const mdp_host_t* host, const mdp_event_t* events, uint32_t count,
                                        mdp_publish_result_t* result) {
    return self(host).publish_call(events, count, {}, result, nullptr);
}

int32_t ProviderInstance::publish_with_sequence_entry(const mdp_host_t* host, const mdp_event_t* events, uint32_t count,
                                                      mdp_publish_result_t* result, uint64_t* first_sequence) {
    return self(host).publish_call(events, count, {}, result, first_sequence);
}

int32_t ProviderInstance::publish_identified_entry(const mdp_host_t* host, const mdp_event_origin_t* origin,
                                                   const mdp_event_t* events, const uint64_t* origin_sequences,
                                                   uint32_t count, mdp_publish_result_t* result,
                                                   uint64_t* first_sequence) {
    ProviderInstance& instance = self(host);
    if (count == 0) {
        return instance.publish_call(events, 0, {}, result, first_sequence);
    }
    const std::uint32_t origin_id = instance.accept_origin(origin, origin_sequences, count);
    if (origin_id == 0) {
        instance.publish_call(events, 0, {}, result, first_sequence);  // fills `result` for 0 records
        return MDP_ERROR;
    }
    return instance.publish_call(events, count, {origin_id, origin_sequences}, result, first_sequence);
}

std::uint32_t ProviderInstance::accept_origin(const mdp_event_origin_t* origin, const std::uint64_t* origin_sequences,
                                              std::uint32_t count) {
    if (origin == nullptr || origin->size < sizeof(mdp_event_origin_t)) {
        reject_identity(count, "the origin is missing or smaller than mdp_event_origin_t");
        return 0;
    }
    if (const std::string_view problem = pipeline::origin_text_problem(origin->provider); !problem.empty()) {
        reject_identity(count, "the origin provider name " + std::string(problem));
        return 0;
    }
    if (const std::string_view problem = pipeline::origin_text_problem(origin->run_id); !problem.empty()) {
        reject_identity(count, "the origin run id " + std::string(problem));
        return 0;
    }
    if (origin_sequences == nullptr) {
        reject_identity(count, "origin_sequences is NULL");
        return 0;
    }
    for (std::uint32_t index = 0; index < count; ++index) {
        if (origin_sequences[index] == 0 || origin_sequences[index] > kMaxOriginSequence) {
            reject_identity(count, "origin_sequences[" + std::to_string(index) + "] is " +
                                       std::to_string(origin_sequences[index]) + ", expected 1 to 2^63-1");
            return 0;
        }
    }
    const std::uint32_t origin_id = target_.origins->intern(origin->provider, origin->run_id);
    if (origin_id == 0) {
        reject_identity(count, "more than " + std::to_string(pipeline::EventOrigins::kCapacity) +
                                   " distinct origins in this host's run");
    }
    return origin_id;
}

void ProviderInstance::reject_identity(std::uint32_t count, std::string_view reason) {
    count_drop(pipeline::DropReason::invalid, count);
    const std::int64_t now_ns = common::utc_now_ns();
    std::int64_t logged_ns = identity_rejection_logged_ns_.load(std::memory_order_relaxed);
    if (now_ns - logged_ns >= kIdentityWarningIntervalNs &&
        identity_rejection_logged_ns_.compare_exchange_strong(logged_ns, now_ns, std::memory_order_relaxed)) {
        spdlog::warn("provider {}: publish with identity rejected {} events (counted as dropped, reason invalid): {}",
                     config_.name, count, reason);
    }
}

int32_t ProviderInstance::subscribe_settlements_entry(const mdp_host_t* host, mdp_stored_ack_fn on_settled,
                                                      void* user_data) {
    ProviderInstance& instance = self(host);
    if (on_settled == nullptr) {
        return MDP_ERROR;
    }
    if (!instance.accepting_subscription_.load(std::memory_order_acquire)) {
        spdlog::warn("provider {}: stored-acks subscribe() refused: only allowed during create() or start()",
                     instance.config_.name);
        return MDP_ERROR;
    }
    // Tracking starts after what this instance published so far: those records are not its.
    pipeline::SettlementLog* log =
        instance.target_.stored_acks->enable(instance.id_, instance.next_sequence_.load(std::memory_order_acquire));
    if (log == nullptr) {
        spdlog::warn("provider {}: stored-acks subscribe() refused: provider id {} beyond {}", instance.config_.name,
                     instance.id_, pipeline::StoredAcks::kCapacity);
        return MDP_ERROR;
    }
    log->subscribe(on_settled, user_data);
    instance.settlement_log_ = log;
    return MDP_OK;
}

void ProviderInstance::unsubscribe_settlements() {
    if (settlement_log_ != nullptr) {
        settlement_log_->unsubscribe();
    }
}

double ProviderInstance::rate_scale_entry(const mdp_host_t* host) { return self(host).rate_scale(); }

void ProviderInstance::log_entry(const mdp_host_t* host, int32_t level, const char* message) {
    spdlog::log(to_spdlog_level(level), "[{}] {}", self(host).config_.name, message != nullptr ? message : "");
}

void ProviderInstance::report_state_entry(const mdp_host_t* host, int32_t state, const char* detail) {
    ProviderInstance& instance = self(host);
    const auto reported = reportable_state(state);
    if (!reported) {
        spdlog::warn("provider {}: ignored report of state {} (plugins report running, degraded or failed)",
                     instance.config_.name, state);
        return;
    }
    const ProviderState current = instance.state();
    if (current == ProviderState::stopping || current == ProviderState::stopped) {
        return;  // late reports from a stopping provider must not resurrect it
    }
    instance.set_state(*reported, bounded_text(detail));
}

int64_t ProviderInstance::now_ns_entry(const mdp_host_t* /*host*/) { return common::utc_now_ns(); }

const void* ProviderInstance::get_extension_entry(const mdp_host_t* host, const char* extension_id) {
    return self(host).extensions_.find(extension_id);
}

HostExtensions& host_extensions_of(const mdp_host_t* host) { return ProviderInstance::self(host).extensions_; }

// ---------------------------------------------------------------- reporting

double ProviderInstance::events_per_second() const {
    std::uint64_t total = 0;
    for (const auto& count : published_by_type_) {
        total += count.load(std::memory_order_relaxed);
    }
    std::lock_guard lock(rate_mutex_);
    const auto now = std::chrono::steady_clock::now();
    const double elapsed_seconds = std::chrono::duration<double>(now - rate_sample_time_).count();
    // Re-sample at most once a second so frequent readers do not shorten the window.
    if (elapsed_seconds >= 1.0) {
        rate_per_second_ = static_cast<double>(total - rate_sample_total_) / elapsed_seconds;
        rate_sample_total_ = total;
        rate_sample_time_ = now;
    }
    return rate_per_second_;
}

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
    static constexpr const char* kTypeNames[] = {"", "quote", "trade", "bar"};
    for (std::size_t type = 1; type < published_by_type_.size(); ++type) {
        result.published_by_type[kTypeNames[type]] = published_by_type_[type].load(std::memory_order_relaxed);
    }
    for (std::size_t reason = 0; reason < dropped_.size(); ++reason) {
        result.dropped_by_reason[std::string(to_string(static_cast<pipeline::DropReason>(reason)))] =
            dropped_[reason].load(std::memory_order_relaxed);
    }
    for (std::size_t level = 0; level < feedback_by_level_.size(); ++level) {
        result.feedback_by_level[std::string(to_string(static_cast<pipeline::Level>(level)))] =
            feedback_by_level_[level].load(std::memory_order_relaxed);
    }
    result.events_per_second = events_per_second();
    return result;
}

}  // namespace mdp::plugins
