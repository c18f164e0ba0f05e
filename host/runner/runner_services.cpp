#include "runner/runner_services.hpp"

#include "common/clock.hpp"
#include "common/event_type.hpp"
#include "isolation/runner_protocol.hpp"
#include "plugins/plugin_library.hpp"
#include "plugins/publish_identity.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>

namespace mdp::runner {

namespace {

using isolation::MessageType;
using isolation::PayloadWriter;

std::string_view text_of(const char* text) { return text != nullptr ? std::string_view(text) : std::string_view(); }

// How long the settlement thread sleeps before it looks again without a wake-up (there should
// be none lost; this bounds the cost of one).
constexpr std::chrono::milliseconds kSettlementRecheck{100};

void copy_text(std::array<char, MDP_ORIGIN_TEXT_MAX + 1>& target, const std::string& text) {
    const std::size_t length = std::min(text.size(), target.size() - 1);  // checked: at most the maximum
    std::memcpy(target.data(), text.data(), length);
    target[length] = '\0';
}

}  // namespace

RunnerServices::RunnerServices(isolation::EventRing& ring, isolation::MessageChannel& channel)
    : ring_(ring), channel_(channel) {
    table_.size = sizeof(mdp_host_t);
    table_.abi_version = plugins::host_abi_version();  // the same version the host reports in process
    table_.host_data = this;
    table_.publish = &publish_entry;
    table_.rate_scale = &rate_scale_entry;
    table_.log = &log_entry;
    table_.report_state = &report_state_entry;
    table_.now_ns = &now_ns_entry;
    table_.get_extension = &get_extension_entry;
    problem_.size = sizeof(problem_);
    problem_.report = &report_problem_entry;
    location_.size = sizeof(location_);
    location_.config_file = config_file_.c_str();
    location_.base_directory = base_directory_.c_str();
    shard_ = {sizeof(shard_), 0, 1};
    metrics_.size = sizeof(metrics_);
    metrics_.declare = &declare_metrics_entry;
    metrics_.set = &set_metric_entry;
    stored_acks_.size = sizeof(stored_acks_);
    stored_acks_.subscribe = &subscribe_entry;
    stored_acks_.publish = &publish_with_sequence_entry;
    publish_identified_.size = sizeof(publish_identified_);
    publish_identified_.publish = &publish_identified_entry;
    settlement_thread_ = std::thread([this] {
        while (!stopping_.load(std::memory_order_acquire)) {
            deliver_settlements();
        }
    });
}

RunnerServices::~RunnerServices() {
    stopping_.store(true, std::memory_order_release);
    ring_.wake_settled();
    settlement_thread_.join();
}

void RunnerServices::set_location(std::string config_file, std::string base_directory) {
    config_file_ = std::move(config_file);
    base_directory_ = std::move(base_directory);
    location_.config_file = config_file_.c_str();
    location_.base_directory = base_directory_.c_str();
}

void RunnerServices::set_shard(std::uint32_t index, std::uint32_t count) { shard_ = {sizeof(shard_), index, count}; }

RunnerServices& RunnerServices::self(const mdp_host_t* host) { return *static_cast<RunnerServices*>(host->host_data); }

int32_t RunnerServices::publish_entry(const mdp_host_t* host, const mdp_event_t* events, uint32_t count,
                                      mdp_publish_result_t* result) {
    return self(host).publish_call(events, count, std::nullopt, result, nullptr);
}

int32_t RunnerServices::publish_with_sequence_entry(const mdp_host_t* host, const mdp_event_t* events, uint32_t count,
                                                    mdp_publish_result_t* result, uint64_t* first_sequence) {
    return self(host).publish_call(events, count, std::nullopt, result, first_sequence);
}

int32_t RunnerServices::publish_identified_entry(const mdp_host_t* host, const mdp_event_origin_t* origin,
                                                 const mdp_event_t* events, const uint64_t* origin_sequences,
                                                 uint32_t count, mdp_publish_result_t* result,
                                                 uint64_t* first_sequence) {
    return self(host).publish_call(events, count, Identified{origin, origin_sequences}, result, first_sequence);
}

int32_t RunnerServices::publish_call(const mdp_event_t* events, uint32_t count,
                                     const std::optional<Identified>& identified, mdp_publish_result_t* result,
                                     uint64_t* first_sequence) {
    int32_t status = MDP_OK;
    std::uint32_t accepted = 0;
    std::uint64_t first = 0;
    const mdp_event_origin_t* origin = identified ? identified->origin : nullptr;
    const std::string problem =
        identified ? plugins::identity_problem(origin, identified->origin_sequences, count) : std::string();
    if (!problem.empty()) {
        // The host's rule (plugins/provider_publisher): the whole call is invalid, nothing numbered.
        ring_.count_invalid(count);
        log_entry(&table_, MDP_LOG_WARN,
                  ("publish with identity rejected " + std::to_string(count) +
                   " events (counted as dropped, reason invalid): " + problem)
                      .c_str());
        status = MDP_ERROR;
    } else if (count != 0 && (events == nullptr || events[0].size < sizeof(mdp_event_t))) {
        // The host's rule (plugins/provider_publisher): shorter than a 1.0 record is no record.
        ring_.count_invalid(count);
        status = MDP_ERROR;
    } else if (count != 0) {
        const std::size_t stride = events[0].size;
        const auto* bytes = reinterpret_cast<const unsigned char*>(events);
        bool known = true;
        for (std::uint32_t index = 0; index < count && known; ++index) {
            known =
                common::event_type_of(reinterpret_cast<const mdp_event_t*>(bytes + index * stride)->type).has_value();
        }
        if (known) {
            std::lock_guard lock(publish_mutex_);
            isolation::RingIdentity identity;
            if (origin != nullptr) {
                identity = {origin_index(*origin), identified->origin_sequences};
            }
            std::uint64_t position = 0;
            if (origin == nullptr || identity.origin_index != 0) {
                accepted = ring_.publish(events, count, identity, &position);
            } else {
                ring_.control().dropped_full.fetch_add(count, std::memory_order_relaxed);  // no origin entry free
            }
            if (identity.origin_index != 0) {
                origin_last_use_[identity.origin_index - 1] = position + accepted;
            }
            first = next_sequence_;
            next_sequence_ += count;
            if (mapping_) {
                settlements_.map(first, position + 1, accepted);
                settlements_.map_dropped(first + accepted, count - accepted);
                if (accepted < count) {
                    ring_.wake_settled();  // the refused part may settle at once
                }
            }
        } else {
            ring_.count_invalid(count);  // one unknown type drops the call, as in the host
        }
    }
    if (result != nullptr && result->size >= sizeof(mdp_publish_result_t)) {
        result->accepted = accepted;
        result->level = ring_.control().level.load(std::memory_order_relaxed);
        result->rate_scale = ring_.control().rate_scale.load(std::memory_order_relaxed);
    }
    if (first_sequence != nullptr) {
        *first_sequence = first;
    }
    return status;
}

std::uint32_t RunnerServices::origin_index(const mdp_event_origin_t& origin) {
    auto key = std::make_pair(std::string(origin.provider), std::string(origin.run_id));
    if (const auto found = origin_indexes_.find(key); found != origin_indexes_.end()) {
        return found->second;
    }
    // A free entry, else the one used longest ago once the host read its last record.
    while (true) {
        std::uint32_t chosen = 0;
        std::uint64_t oldest = UINT64_MAX;
        for (std::uint32_t index = 1; index <= isolation::kOriginSlots; ++index) {
            if (!origin_keys_[index - 1]) {
                chosen = index;
                break;
            }
            if (origin_last_use_[index - 1] < oldest) {
                oldest = origin_last_use_[index - 1];
                chosen = index;
            }
        }
        if (origin_keys_[chosen - 1] && !ring_.wait_until_consumed(oldest)) {
            const bool may_wait = ring_.control().block_when_full.load(std::memory_order_relaxed) != 0 &&
                                  ring_.control().released.load(std::memory_order_acquire) == 0;
            if (!may_wait) {
                return 0;
            }
            continue;
        }
        if (origin_keys_[chosen - 1]) {
            origin_indexes_.erase(*origin_keys_[chosen - 1]);
        }
        isolation::OriginText& text = ring_.origin_text(chosen);
        copy_text(text.provider, key.first);
        copy_text(text.run_id, key.second);
        origin_indexes_.emplace(key, chosen);
        origin_keys_[chosen - 1] = std::move(key);
        return chosen;
    }
}

double RunnerServices::rate_scale_entry(const mdp_host_t* host) {
    return self(host).ring_.control().rate_scale.load(std::memory_order_relaxed);
}

void RunnerServices::log_entry(const mdp_host_t* host, int32_t level, const char* message) {
    PayloadWriter payload;
    payload.i32(level).text(text_of(message));
    self(host).channel_.send(static_cast<std::uint32_t>(MessageType::log), payload);
}

void RunnerServices::report_state_entry(const mdp_host_t* host, int32_t state, const char* detail) {
    PayloadWriter payload;
    payload.i32(state).text(text_of(detail));
    self(host).channel_.send(static_cast<std::uint32_t>(MessageType::state), payload);
}

int64_t RunnerServices::now_ns_entry(const mdp_host_t* /*host*/) { return common::utc_now_ns(); }

const void* RunnerServices::get_extension_entry(const mdp_host_t* host, const char* extension_id) {
    if (extension_id == nullptr) {
        return nullptr;
    }
    RunnerServices& services = self(host);
    const std::string_view id(extension_id);
    if (id == MDP_HOST_CONFIG_PROBLEM_ID) {
        return &services.problem_;
    }
    if (id == MDP_HOST_CONFIG_LOCATION_ID) {
        return &services.location_;
    }
    if (id == MDP_HOST_SHARD_ID) {
        return &services.shard_;
    }
    if (id == MDP_HOST_METRICS_ID) {
        return &services.metrics_;
    }
    if (id == MDP_HOST_STORED_ACKS_ID && (services.offered_ & isolation::kOffersStoredAcks) != 0) {
        return &services.stored_acks_;
    }
    if (id == MDP_HOST_PUBLISH_IDENTIFIED_ID && (services.offered_ & isolation::kOffersPublishIdentified) != 0) {
        return &services.publish_identified_;
    }
    return nullptr;
}

void RunnerServices::report_problem_entry(const mdp_host_t* host, const char* json_path, const char* message) {
    PayloadWriter payload;
    payload.text(text_of(json_path)).text(text_of(message));
    self(host).channel_.send(static_cast<std::uint32_t>(MessageType::config_problem), payload);
}

int32_t RunnerServices::declare_metrics_entry(const mdp_host_t* host, const mdp_metric_declaration_t* metrics,
                                              uint32_t count) {
    RunnerServices& services = self(host);
    // Only inside create() on the main thread (the contract's [control-thread, during create()
    // only]): nothing else reads the channel then, so this thread can wait for the answer.
    if (!services.accepting_declarations_ || (count != 0 && metrics == nullptr)) {
        return MDP_ERROR;
    }
    PayloadWriter payload;
    payload.u32(count);
    for (uint32_t index = 0; index < count; ++index) {
        mdp_metric_declaration_t declaration{};
        std::memcpy(&declaration, &metrics[index], std::min<std::size_t>(metrics[index].size, sizeof(declaration)));
        payload.text(text_of(declaration.name)).text(text_of(declaration.help)).i32(declaration.kind);
    }
    return services.ask_host(MessageType::metrics_declare, payload, MessageType::declared);
}

int32_t RunnerServices::ask_host(MessageType question, const PayloadWriter& payload, MessageType answer) {
    if (!channel_.send(static_cast<std::uint32_t>(question), payload)) {
        return MDP_ERROR;
    }
    const std::optional<isolation::Message> message = channel_.receive();
    if (!message || message->type != static_cast<std::uint32_t>(answer)) {
        return MDP_ERROR;
    }
    isolation::PayloadReader reader(message->payload);
    return reader.i32();
}

int32_t RunnerServices::subscribe_entry(const mdp_host_t* host, mdp_stored_ack_fn on_settled, void* user_data) {
    RunnerServices& services = self(host);
    // Only inside create() or start() on the main thread, as in the host; the host subscribes
    // first, so every record numbered after this returns is tracked on both sides.
    if (on_settled == nullptr || !services.accepting_subscriptions_ ||
        services.ask_host(MessageType::subscribe, {}, MessageType::subscribed) != MDP_OK) {
        return MDP_ERROR;
    }
    {
        std::lock_guard lock(services.publish_mutex_);
        if (!services.mapping_) {
            services.settlements_.clear();
            services.mapping_ = true;
        }
    }
    std::lock_guard lock(services.subscriber_mutex_);
    services.on_settled_ = on_settled;
    services.on_settled_data_ = user_data;
    return MDP_OK;
}

void RunnerServices::end_subscription() {
    {
        std::lock_guard lock(subscriber_mutex_);  // waits for a callback in progress
        on_settled_ = nullptr;
        on_settled_data_ = nullptr;
    }
    std::lock_guard lock(publish_mutex_);
    mapping_ = false;
    settlements_.clear();
}

void RunnerServices::deliver_settlements() {
    const std::uint32_t seen = ring_.control().settled_signal.load(std::memory_order_seq_cst);
    std::vector<pipeline::SettledRange> posted;
    ring_.take_settled(posted);
    for (const pipeline::SettledRange& range : posted) {
        settlements_.settle(range.first, range.last, range.outcome);
    }
    std::vector<pipeline::SettledRange> settled;
    settlements_.take(settled);
    if (!settled.empty()) {
        std::lock_guard lock(subscriber_mutex_);
        for (const pipeline::SettledRange& range : settled) {
            if (on_settled_ == nullptr) {
                break;
            }
            const mdp_stored_ack_t ack{sizeof(mdp_stored_ack_t), static_cast<int32_t>(range.outcome), range.first,
                                       range.last};
            on_settled_(on_settled_data_, &ack);
        }
    }
    if (posted.empty() && settled.empty()) {
        ring_.wait_settled(seen, kSettlementRecheck);
    }
}

void RunnerServices::set_metric_entry(const mdp_host_t* host, uint32_t index, double value) {
    isolation::RingControl& control = self(host).ring_.control();
    if (index < control.metric_values.size()) {
        control.metric_values[index].store(value, std::memory_order_relaxed);
        control.metrics_version.fetch_add(1, std::memory_order_release);
    }
}

}  // namespace mdp::runner
