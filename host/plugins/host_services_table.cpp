#include "plugins/host_services_table.hpp"

#include "common/clock.hpp"
#include "plugins/plugin_library.hpp"

#include <spdlog/spdlog.h>

#include <cstring>

namespace mdp::plugins {

namespace {

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

}  // namespace

HostServicesTable::HostServicesTable(HostServicesOwner& owner, ProviderPublisher& publisher, HostExtensions& extensions)
    : owner_(owner), publisher_(publisher), extensions_(extensions) {
    table_.size = sizeof(mdp_host_t);
    table_.abi_version = host_abi_version();
    table_.host_data = this;
    table_.publish = &publish_entry;
    table_.rate_scale = &rate_scale_entry;
    table_.log = &log_entry;
    table_.report_state = &report_state_entry;
    table_.now_ns = &now_ns_entry;
    table_.get_extension = &get_extension_entry;
    static constexpr mdp_host_stored_acks_t kStoredAcks{sizeof(mdp_host_stored_acks_t), &subscribe_settlements_entry,
                                                        &publish_with_sequence_entry};
    static constexpr mdp_host_publish_identified_t kPublishIdentified{sizeof(mdp_host_publish_identified_t),
                                                                      &publish_identified_entry};
    extensions_.offer_publish_extensions(publisher_.tracks_settlements() ? &kStoredAcks : nullptr,
                                         publisher_.accepts_identities() ? &kPublishIdentified : nullptr);
}

HostServicesTable& HostServicesTable::self(const mdp_host_t* host) {
    return *static_cast<HostServicesTable*>(host->host_data);
}

int32_t HostServicesTable::publish_entry(const mdp_host_t* host, const mdp_event_t* events, uint32_t count,
                                         mdp_publish_result_t* result) {
    return self(host).publisher_.publish(events, count, result, nullptr);
}

int32_t HostServicesTable::publish_with_sequence_entry(const mdp_host_t* host, const mdp_event_t* events,
                                                       uint32_t count, mdp_publish_result_t* result,
                                                       uint64_t* first_sequence) {
    return self(host).publisher_.publish(events, count, result, first_sequence);
}

int32_t HostServicesTable::publish_identified_entry(const mdp_host_t* host, const mdp_event_origin_t* origin,
                                                    const mdp_event_t* events, const uint64_t* origin_sequences,
                                                    uint32_t count, mdp_publish_result_t* result,
                                                    uint64_t* first_sequence) {
    return self(host).publisher_.publish_identified(origin, events, origin_sequences, count, result, first_sequence);
}

int32_t HostServicesTable::subscribe_settlements_entry(const mdp_host_t* host, mdp_stored_ack_fn on_settled,
                                                       void* user_data) {
    return self(host).publisher_.subscribe_settlements(on_settled, user_data);
}

double HostServicesTable::rate_scale_entry(const mdp_host_t* host) { return self(host).owner_.rate_scale(); }

void HostServicesTable::log_entry(const mdp_host_t* host, int32_t level, const char* message) {
    spdlog::log(to_spdlog_level(level), "[{}] {}", self(host).owner_.provider_name(),
                message != nullptr ? message : "");
}

void HostServicesTable::report_state_entry(const mdp_host_t* host, int32_t state, const char* detail) {
    HostServicesOwner& owner = self(host).owner_;
    const auto reported = reportable_state(state);
    if (!reported) {
        spdlog::warn("provider {}: ignored report of state {} (plugins report running, degraded or failed)",
                     owner.provider_name(), state);
        return;
    }
    owner.report_state(*reported, bounded_text(detail));
}

int64_t HostServicesTable::now_ns_entry(const mdp_host_t* /*host*/) { return common::utc_now_ns(); }

const void* HostServicesTable::get_extension_entry(const mdp_host_t* host, const char* extension_id) {
    return self(host).extensions_.find(extension_id);
}

HostExtensions& host_extensions_of(const mdp_host_t* host) { return HostServicesTable::self(host).extensions_; }

}  // namespace mdp::plugins
