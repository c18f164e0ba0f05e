#include "plugins/provider_publisher.hpp"

#include "common/clock.hpp"
#include "plugins/publish_identity.hpp"

#include <spdlog/spdlog.h>

#include <cstring>

namespace mdp::plugins {

namespace {

// A rejected identity is logged at most this often per instance (each rejection is counted).
constexpr std::int64_t kIdentityWarningIntervalNs = 1'000'000'000;

}  // namespace

ProviderPublisher::ProviderPublisher(std::uint32_t provider_id, std::string provider_name, PublishTarget target,
                                     const std::atomic<double>& rate_scale)
    : provider_id_(provider_id), provider_name_(std::move(provider_name)), target_(target), rate_scale_(rate_scale) {}

std::uint64_t ProviderPublisher::published_total() const {
    std::uint64_t total = 0;
    for (const auto& count : published_by_type_.values) {
        total += count.load(std::memory_order_relaxed);
    }
    return total;
}

int32_t ProviderPublisher::publish(const mdp_event_t* events, std::uint32_t count, mdp_publish_result_t* result,
                                   std::uint64_t* first_sequence) {
    return publish_call(events, count, {}, result, first_sequence);
}

int32_t ProviderPublisher::publish_identified(const mdp_event_origin_t* origin, const mdp_event_t* events,
                                              const std::uint64_t* origin_sequences, std::uint32_t count,
                                              mdp_publish_result_t* result, std::uint64_t* first_sequence) {
    if (count == 0) {
        return publish_call(events, 0, {}, result, first_sequence);
    }
    const std::uint32_t origin_id = accept_origin(origin, origin_sequences, count);
    if (origin_id == 0) {
        publish_call(events, 0, {}, result, first_sequence);  // fills `result` for 0 records
        return MDP_ERROR;
    }
    return publish_call(events, count, {origin_id, origin_sequences}, result, first_sequence);
}

int32_t ProviderPublisher::publish_call(const mdp_event_t* events, std::uint32_t count, CallIdentity identity,
                                        mdp_publish_result_t* result, std::uint64_t* first_sequence) {
    int32_t status = MDP_OK;
    std::uint32_t accepted = 0;
    std::uint64_t first = 0;
    if (count != 0 && (events == nullptr || events[0].size < sizeof(mdp_event_t))) {
        // 1.0 is the smallest record layout; anything shorter is not a record at all.
        count_drop(pipeline::DropReason::invalid, count);
        status = MDP_ERROR;
    } else if (count != 0) {
        accepted = push(events, count, identity, first);  // unknown types: dropped, MDP_OK, first 0
        // Forwarded events (an identity) had their bars built where they were first published;
        // a redelivery must not count twice.
        if (accepted != 0 && identity.origin_id == 0 && bars_.enabled()) {
            bars_.observe(reinterpret_cast<const unsigned char*>(events), events[0].size, accepted,
                          common::utc_now_ns(), queue_bars());
        }
    }
    const pipeline::Level level = target_.controller->observe(target_.queue->depth());
    if (result != nullptr && result->size >= sizeof(mdp_publish_result_t)) {
        result->accepted = accepted;
        result->level = static_cast<int32_t>(level);
        result->rate_scale = rate_scale_.load(std::memory_order_relaxed);
    }
    if (first_sequence != nullptr) {
        *first_sequence = first;
    }
    return status;
}

std::uint32_t ProviderPublisher::push(const mdp_event_t* events, std::uint32_t count, CallIdentity identity,
                                      std::uint64_t& first_sequence) {
    const std::size_t stride = events[0].size;
    const auto* bytes = reinterpret_cast<const unsigned char*>(events);
    for (std::uint32_t index = 0; index < count; ++index) {
        const auto* event = reinterpret_cast<const mdp_event_t*>(bytes + index * stride);
        if (!common::event_type_of(event->type)) {
            count_drop(pipeline::DropReason::invalid, count);
            return 0;
        }
    }
    common::PerEventType<std::uint64_t> by_type;
    first_sequence = next_sequence_.fetch_add(count, std::memory_order_relaxed) + 1;
    // publish_call() rejects records shorter than this host's layout, so every record has at
    // least sizeof(mdp_event_t) bytes: a fixed-size copy, which the compiler inlines (a
    // variable-size one became a `rep movsq` per event, the publish path's largest cost).
    const auto fill = [&](pipeline::StoreEvent& slot, std::size_t index) {
        const unsigned char* source = bytes + index * stride;
        std::memcpy(&slot.event, source, sizeof(mdp_event_t));
        slot.event.size = sizeof(mdp_event_t);
        slot.event.symbol[MDP_SYMBOL_CAPACITY - 1] = '\0';
        slot.sequence = first_sequence + index;
        slot.provider_id = provider_id_;
        slot.origin_id = identity.origin_id;
        slot.origin_sequence = identity.origin_id != 0 ? identity.origin_sequences[index] : 0;
        ++by_type[static_cast<common::EventType>(slot.event.type)];  // checked above
    };
    const pipeline::PushResult pushed = target_.queue->push(count, fill, &publishes_released_);
    for (const common::EventType type : common::kEventTypes) {
        if (by_type[type] != 0) {
            published_by_type_[type].fetch_add(by_type[type], std::memory_order_relaxed);
        }
    }
    if (pushed.accepted < count) {
        // Refused by drop_newest at a full queue, else refused because this producer is
        // stopping (queue closed, or its publishes released by its stop deadline).
        count_drop(pushed.refused_full ? pipeline::DropReason::queue_full_newest : pipeline::DropReason::shutdown,
                   count - pushed.accepted);
        settle_refused(first_sequence + pushed.accepted, first_sequence + count - 1);
    }
    return static_cast<std::uint32_t>(pushed.accepted);
}

void ProviderPublisher::push_bars(std::span<const mdp_event_t> closed) {
    // At most one bar per symbol and interval at a time, far below a uint32_t count.
    std::uint64_t first = 0;
    push(closed.data(), static_cast<std::uint32_t>(closed.size()), {}, first);
}

bool ProviderPublisher::configure_bars(const config::BarsConfig& bars) {
    return bars_.configure(bars, common::utc_now_ns(), queue_bars());
}

std::int64_t ProviderPublisher::close_due_bars(std::int64_t now_ns) { return bars_.close_due(now_ns, queue_bars()); }

void ProviderPublisher::flush_bars() { bars_.flush(common::utc_now_ns(), queue_bars()); }

void ProviderPublisher::settle_refused(std::uint64_t first_refused, std::uint64_t last_refused) {
    if (target_.stored_acks == nullptr) {
        return;
    }
    if (pipeline::SettlementLog* log = target_.stored_acks->find(provider_id_)) {
        log->settle(first_refused, last_refused, pipeline::Settlement::dropped);
    }
}

std::uint32_t ProviderPublisher::accept_origin(const mdp_event_origin_t* origin, const std::uint64_t* origin_sequences,
                                               std::uint32_t count) {
    if (const std::string problem = identity_problem(origin, origin_sequences, count); !problem.empty()) {
        reject_identity(count, problem);
        return 0;
    }
    const std::uint32_t origin_id = target_.origins->intern(origin->provider, origin->run_id);
    if (origin_id == 0) {
        reject_identity(count, "more than " + std::to_string(pipeline::EventOrigins::kCapacity) +
                                   " distinct origins in this host's run");
    }
    return origin_id;
}

void ProviderPublisher::reject_identity(std::uint32_t count, std::string_view reason) {
    count_drop(pipeline::DropReason::invalid, count);
    const std::int64_t now_ns = common::utc_now_ns();
    std::int64_t logged_ns = identity_rejection_logged_ns_.load(std::memory_order_relaxed);
    if (now_ns - logged_ns >= kIdentityWarningIntervalNs &&
        identity_rejection_logged_ns_.compare_exchange_strong(logged_ns, now_ns, std::memory_order_relaxed)) {
        spdlog::warn("provider {}: publish with identity rejected {} events (counted as dropped, reason invalid): {}",
                     provider_name_, count, reason);
    }
}

int32_t ProviderPublisher::subscribe_settlements(mdp_stored_ack_fn on_settled, void* user_data) {
    if (on_settled == nullptr) {
        return MDP_ERROR;
    }
    if (!accepting_subscription_.load(std::memory_order_acquire)) {
        spdlog::warn("provider {}: stored-acks subscribe() refused: only allowed during create() or start()",
                     provider_name_);
        return MDP_ERROR;
    }
    // Tracking starts after what this instance published so far: those records are not its.
    pipeline::SettlementLog* log =
        target_.stored_acks->enable(provider_id_, next_sequence_.load(std::memory_order_acquire));
    if (log == nullptr) {
        spdlog::warn("provider {}: stored-acks subscribe() refused: provider id {} beyond {}", provider_name_,
                     provider_id_, pipeline::StoredAcks::kCapacity);
        return MDP_ERROR;
    }
    log->subscribe(on_settled, user_data);
    settlement_log_ = log;
    return MDP_OK;
}

void ProviderPublisher::unsubscribe_settlements() {
    if (settlement_log_ != nullptr) {
        settlement_log_->unsubscribe();
    }
}

void ProviderPublisher::release_waiting() {
    publishes_released_.store(true, std::memory_order_release);
    target_.queue->wake_blocked_producers();
}

}  // namespace mdp::plugins
