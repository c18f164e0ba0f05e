#include "plugins/host_extensions.hpp"

#include <spdlog/spdlog.h>

#include <cstring>
#include <filesystem>

namespace mdp::plugins {

namespace {

constexpr std::size_t kMaxReportedBytes = 1024;

std::string bounded_copy(const char* text) {
    return text == nullptr ? std::string() : std::string(text, ::strnlen(text, kMaxReportedBytes));
}

// The directory the host resolves the config's relative paths against (config_loader.cpp):
// the config file's, made absolute; the working directory without a file.
std::string base_directory_of(const std::string& config_file) {
    std::error_code error;
    const auto directory = config_file.empty() ? std::filesystem::current_path(error)
                                               : std::filesystem::absolute(config_file, error).parent_path();
    return directory.lexically_normal().string();
}

}  // namespace

HostExtensions::HostExtensions(const std::string& config_file, const config::ShardConfig& shard,
                               std::string provider_name)
    : config_file_(config_file), base_directory_(base_directory_of(config_file)),
      provider_name_(std::move(provider_name)) {
    metrics_table_ = {sizeof(mdp_host_metrics_t), &declare_metrics_entry, &set_metric_entry};
    shard_ = {sizeof(mdp_host_shard_t), shard.index, shard.count};
    location_.size = sizeof(location_);
    location_.config_file = config_file_.c_str();
    location_.base_directory = base_directory_.c_str();
    problem_channel_.size = sizeof(problem_channel_);
    problem_channel_.report = &report_config_problem_entry;
}

const void* HostExtensions::find(const char* id) const {
    if (id == nullptr) {
        return nullptr;
    }
    if (std::strcmp(id, MDP_HOST_CONFIG_LOCATION_ID) == 0) {
        return &location_;
    }
    if (std::strcmp(id, MDP_HOST_CONFIG_PROBLEM_ID) == 0) {
        return &problem_channel_;
    }
    if (std::strcmp(id, MDP_HOST_METRICS_ID) == 0) {
        return &metrics_table_;
    }
    if (std::strcmp(id, MDP_HOST_SHARD_ID) == 0) {
        return &shard_;
    }
    if (std::strcmp(id, MDP_HOST_STORED_ACKS_ID) == 0) {
        return stored_acks_;
    }
    if (std::strcmp(id, MDP_HOST_PUBLISH_IDENTIFIED_ID) == 0) {
        return publish_identified_;
    }
    return nullptr;
}

void HostExtensions::clear_config_problem() {
    std::lock_guard lock(problem_mutex_);
    problem_.reset();
}

std::optional<ReportedConfigProblem> HostExtensions::take_config_problem() {
    std::lock_guard lock(problem_mutex_);
    return std::exchange(problem_, std::nullopt);
}

void HostExtensions::report_config_problem_entry(const mdp_host_t* host, const char* json_path, const char* message) {
    if (host == nullptr) {
        return;
    }
    HostExtensions& self = host_extensions_of(host);
    std::lock_guard lock(self.problem_mutex_);
    self.problem_ = ReportedConfigProblem{bounded_copy(json_path), bounded_copy(message)};
}

int32_t HostExtensions::declare_metrics_entry(const mdp_host_t* host, const mdp_metric_declaration_t* metrics,
                                              uint32_t count) {
    if (host == nullptr) {
        return MDP_ERROR;
    }
    HostExtensions& self = host_extensions_of(host);
    const std::string problem = self.metrics_.declare(metrics, count);
    if (!problem.empty()) {
        spdlog::warn("provider {}: metrics not declared: {}", self.provider_name_, problem);
        return MDP_ERROR;
    }
    return MDP_OK;
}

void HostExtensions::set_metric_entry(const mdp_host_t* host, uint32_t index, double value) {
    if (host != nullptr) {
        host_extensions_of(host).metrics_.set(index, value);
    }
}

std::string join_config_path(const std::string& base, const std::string& relative) {
    if (relative.empty()) {
        return base;
    }
    if (base.empty()) {
        return relative;
    }
    return relative.front() == '[' ? base + relative : base + "." + relative;
}

}  // namespace mdp::plugins
