#include "runner/runner_services.hpp"

#include "common/clock.hpp"
#include "common/event_type.hpp"
#include "isolation/runner_protocol.hpp"
#include "plugins/plugin_library.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>

namespace mdp::runner {

namespace {

using isolation::MessageType;
using isolation::PayloadWriter;

std::string_view text_of(const char* text) { return text != nullptr ? std::string_view(text) : std::string_view(); }

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
    RunnerServices& services = self(host);
    int32_t status = MDP_OK;
    std::uint32_t accepted = 0;
    if (count != 0 && (events == nullptr || events[0].size < sizeof(mdp_event_t))) {
        // The host's rule (plugins/provider_publisher): shorter than a 1.0 record is no record.
        services.ring_.count_invalid(count);
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
            accepted = services.ring_.publish(events, count);
        } else {
            services.ring_.count_invalid(count);  // one unknown type drops the call, as in the host
        }
    }
    if (result != nullptr && result->size >= sizeof(mdp_publish_result_t)) {
        result->accepted = accepted;
        result->level = services.ring_.control().level.load(std::memory_order_relaxed);
        result->rate_scale = services.ring_.control().rate_scale.load(std::memory_order_relaxed);
    }
    return status;
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
    if (!services.channel_.send(static_cast<std::uint32_t>(MessageType::metrics_declare), payload)) {
        return MDP_ERROR;
    }
    const std::optional<isolation::Message> answer = services.channel_.receive();
    if (!answer || answer->type != static_cast<std::uint32_t>(MessageType::declared)) {
        return MDP_ERROR;
    }
    isolation::PayloadReader reader(answer->payload);
    return reader.i32();
}

void RunnerServices::set_metric_entry(const mdp_host_t* host, uint32_t index, double value) {
    isolation::RingControl& control = self(host).ring_.control();
    if (index < control.metric_values.size()) {
        control.metric_values[index].store(value, std::memory_order_relaxed);
        control.metrics_version.fetch_add(1, std::memory_order_release);
    }
}

}  // namespace mdp::runner
