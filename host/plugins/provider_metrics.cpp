#include "plugins/provider_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace mdp::plugins {

namespace {

constexpr std::size_t kMaxNameBytes = 64;
constexpr std::size_t kMaxHelpBytes = 256;

bool is_metric_name(const char* name) {
    const std::size_t length = ::strnlen(name, kMaxNameBytes + 1);
    if (length == 0 || length > kMaxNameBytes || name[0] < 'a' || name[0] > 'z') {
        return false;
    }
    return std::all_of(name, name + length,
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

bool ends_with_total(const std::string& name) {
    return name.size() > 6 && name.compare(name.size() - 6, 6, "_total") == 0;
}

// Why declaration `index` is invalid ("" when it is valid).
std::string problem_of(const mdp_metric_declaration_t& declaration, std::uint32_t index) {
    const std::string where = "metric " + std::to_string(index) + ": ";
    if (declaration.size < sizeof(mdp_metric_declaration_t)) {
        return where + "declaration smaller than mdp_metric_declaration_t";
    }
    if (declaration.name == nullptr || !is_metric_name(declaration.name)) {
        return where + "name must be [a-z][a-z0-9_]* of at most 64 bytes";
    }
    if (declaration.kind != MDP_METRIC_COUNTER && declaration.kind != MDP_METRIC_GAUGE) {
        return where + "kind must be MDP_METRIC_COUNTER or MDP_METRIC_GAUGE";
    }
    if (declaration.kind == MDP_METRIC_COUNTER && !ends_with_total(declaration.name)) {
        return where + "a counter's name ends in _total (" + declaration.name + ")";
    }
    if (declaration.help != nullptr &&
        (::strnlen(declaration.help, kMaxHelpBytes + 1) > kMaxHelpBytes || std::strchr(declaration.help, '\n'))) {
        return where + "help must be one line of at most 256 bytes";
    }
    return {};
}

}  // namespace

std::string ProviderMetrics::declare(const mdp_metric_declaration_t* declarations, std::uint32_t count) {
    if (!accepting_.load()) {
        return "metrics are declared during create() only";
    }
    if (declarations == nullptr || count == 0 || count > MDP_METRICS_MAX) {
        return "declare between 1 and " + std::to_string(MDP_METRICS_MAX) + " metrics";
    }
    std::vector<status::PluginMetric> declared;
    for (std::uint32_t index = 0; index < count; ++index) {
        if (std::string problem = problem_of(declarations[index], index); !problem.empty()) {
            return problem;
        }
        const std::string name = declarations[index].name;
        if (std::any_of(declared.begin(), declared.end(), [&](const auto& metric) { return metric.name == name; })) {
            return "metric " + std::to_string(index) + ": name " + name + " is declared twice";
        }
        declared.push_back({name, declarations[index].help == nullptr ? std::string() : declarations[index].help,
                            declarations[index].kind == MDP_METRIC_GAUGE ? status::PluginMetricKind::gauge
                                                                         : status::PluginMetricKind::counter,
                            0.0});
    }
    std::lock_guard lock(mutex_);
    if (!declared_.empty()) {
        return "metrics were declared already";
    }
    values_ = std::make_unique<std::atomic<double>[]>(count);
    declared_ = std::move(declared);
    count_.store(count, std::memory_order_release);
    return {};
}

void ProviderMetrics::set(std::uint32_t index, double value) noexcept {
    if (index < count_.load(std::memory_order_acquire) && std::isfinite(value)) {
        values_[index].store(value, std::memory_order_relaxed);
    }
}

void ProviderMetrics::clear() {
    std::lock_guard lock(mutex_);
    count_.store(0, std::memory_order_release);
    declared_.clear();
    values_.reset();
}

std::vector<status::PluginMetric> ProviderMetrics::samples() const {
    std::lock_guard lock(mutex_);
    std::vector<status::PluginMetric> samples = declared_;
    for (std::size_t index = 0; index < samples.size(); ++index) {
        samples[index].value = values_[index].load(std::memory_order_relaxed);
    }
    return samples;
}

}  // namespace mdp::plugins
