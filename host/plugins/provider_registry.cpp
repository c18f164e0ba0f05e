#include "plugins/provider_registry.hpp"

#include "common/bounded_call.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

namespace mdp::plugins {

namespace {

constexpr std::int64_t kMinBarFlushPatienceMs = 1000;
constexpr std::chrono::seconds kReleasedBarFlushPatience{10};

}  // namespace

ProviderRegistry::ProviderRegistry(const config::HostConfig& config, PublishTarget target) : target_(target) {
    std::uint32_t id = 0;
    for (const auto& provider : config.providers) {
        instances_.push_back(std::make_unique<ProviderInstance>(id++, provider, target));
        if (provider.bars.enabled()) {
            instances_.back()->log_bars();
        }
    }
}

ProviderRegistry::~ProviderRegistry() {
    stop_all();
    destroy_all();
    for (auto& instance : instances_) {
        if (instance->hung()) {
            // Its plugin may still be running code that calls into this object: leak it.
            static_cast<void>(instance.release());
        }
    }
}

std::string ProviderRegistry::describe_config_error(const ProviderInstance& instance, const std::string& error) {
    const config::ProviderConfig& provider = instance.config();
    const std::string& file = provider.config.origin->file;
    if (instance.runner_failed()) {
        // Not about the plugin's config: about running it isolated.
        const std::string& config_path = provider.config.path;
        const std::string entry = config_path.substr(0, config_path.rfind(".config"));
        return file + ": " + entry + ".isolation: " + error;
    }
    if (const auto& problem = instance.config_problem()) {
        return file + ": " + join_config_path(provider.config.path, problem->json_path) + ": " + problem->message;
    }
    // A plugin that does not name the value (an older SDK, a C plugin): its text as a whole
    // is about the config object.
    return file + ": " + provider.config.path + ": " + error;
}

std::string ProviderRegistry::probe(PluginCatalog& catalog, const config::ProviderConfig& provider) {
    try {
        const auto library = catalog.resolve(provider.plugin, provider.sha256, !provider.isolated());
        // Offers the extensions a real instance offers (a plugin may require them in create()),
        // backed by throwaway tables so the probe touches no running provider's.
        const auto probe_acks = std::make_unique<pipeline::StoredAcks>();
        const pipeline::EventOrigins probe_origins;
        ProviderInstance instance(0, provider, PublishTarget{nullptr, nullptr, probe_acks.get(), &probe_origins});
        instance.attach(library);
        std::string error;
        if (!instance.create(error)) {
            return describe_config_error(instance, error);
        }
        return "";
    } catch (const PluginLoadError& error) {
        return provider.config.origin->file + ": providers: " + provider.name + ": " + error.what();
    }
}

ProviderInstance& ProviderRegistry::add(const config::ProviderConfig& provider) {
    std::unique_lock lock(instances_mutex_);
    const auto id = static_cast<std::uint32_t>(instances_.size());
    instances_.push_back(std::make_unique<ProviderInstance>(id, provider, target_));
    if (provider.bars.enabled()) {
        instances_.back()->log_bars();
    }
    return *instances_.back();
}

std::string ProviderRegistry::create_all(PluginCatalog& catalog) {
    std::string first_failure;
    for (auto& instance : instances_) {
        if (!instance->config().enabled) {
            instance->mark_disabled();
            continue;
        }
        std::string error;
        try {
            instance->attach(
                catalog.resolve(instance->config().plugin, instance->config().sha256, !instance->config().isolated()));
        } catch (const PluginLoadError& failure) {
            error = failure.what();
            instance->fail(error);
        }
        if (error.empty() && !instance->create(error)) {
            error = describe_config_error(*instance, error);
        }
        if (!error.empty()) {
            spdlog::error("provider {}: {}", instance->name(), error);
            if (instance->config().required && first_failure.empty()) {
                first_failure = required_failure_message(*instance, error);
            }
        }
    }
    return first_failure;
}

std::string ProviderRegistry::start_all() {
    std::string first_failure;
    for (auto& instance : instances_) {
        if (!instance->has_instance()) {
            continue;
        }
        std::string error;
        if (!instance->start(error) && instance->config().required && first_failure.empty()) {
            first_failure = required_failure_message(*instance, "start failed: " + error);
        }
    }
    return first_failure;
}

void ProviderRegistry::stop_all() {
    std::vector<std::thread> stoppers;
    for (auto& instance : instances_) {
        if (instance->started()) {
            stoppers.emplace_back([target = instance.get()] { target->stop(); });
        }
    }
    for (auto& stopper : stoppers) {
        stopper.join();
    }
}

std::int64_t ProviderRegistry::close_due_bars(std::int64_t now_ns) {
    {
        std::shared_lock lock(instances_mutex_);
        bar_timer_instances_.clear();
        for (const auto& instance : instances_) {
            bar_timer_instances_.push_back(instance.get());
        }
    }
    std::int64_t next_due_ns = pipeline::BarBuilder::kNothingDue;
    for (ProviderInstance* instance : bar_timer_instances_) {
        next_due_ns = std::min(next_due_ns, instance->close_due_bars(now_ns));
    }
    return next_due_ns;
}

void ProviderRegistry::flush_bars(const std::function<void()>& stop_timer) {
    // A flush takes microseconds unless the queue is full; the floor keeps a loaded machine's
    // thread start from counting as a full queue.
    std::int64_t patience_ms = kMinBarFlushPatienceMs;
    for (const auto& instance : instances_) {
        patience_ms = std::max(patience_ms, instance->config().restart.stop_timeout_ms / 2);
    }
    common::DetachedCall flushing([this, stop_timer] {
        stop_timer();
        for (auto& instance : instances_) {
            instance->flush_bars();
        }
    });
    if (flushing.wait_for(std::chrono::milliseconds(patience_ms))) {
        return;
    }
    spdlog::warn(
        "the host's open bars are not queued after {} ms (the store queue stays full); bars that do not fit are "
        "dropped (reason shutdown)",
        patience_ms);
    for (auto& instance : instances_) {
        instance->release_waiting_publishes();
    }
    // Released, nothing waits for space any more: this is a bound on a bug, not on the queue.
    if (!flushing.wait_for(kReleasedBarFlushPatience)) {
        spdlog::critical("the host's open bars could not be queued even with their publishes released");
    }
}

std::uint64_t ProviderRegistry::shutdown_drops() const {
    std::uint64_t total = 0;
    for (const auto& instance : instances_) {
        total += instance->dropped(pipeline::DropReason::shutdown);
    }
    return total;
}

void ProviderRegistry::destroy_all() {
    for (auto& instance : instances_) {
        instance->destroy();
    }
}

std::string ProviderRegistry::required_failure_message(const ProviderInstance& instance, const std::string& what) {
    return "required provider " + instance.name() + " failed: " + what;
}

bool ProviderRegistry::any_hung() const {
    return std::any_of(instances_.begin(), instances_.end(), [](const auto& instance) { return instance->hung(); });
}

std::vector<std::string> ProviderRegistry::names() const {
    std::shared_lock lock(instances_mutex_);
    std::vector<std::string> result;
    for (const auto& instance : instances_) {
        result.push_back(instance->name());
    }
    return result;
}

std::vector<status::ProviderSnapshot> ProviderRegistry::snapshots(bool include_retired) const {
    std::shared_lock lock(instances_mutex_);
    std::vector<status::ProviderSnapshot> result;
    for (const auto& instance : instances_) {
        if (!instance->retired()) {
            result.push_back(instance->snapshot());
        } else if (include_retired) {
            result.push_back(instance->snapshot());
            result.back().name += " (removed, id " + std::to_string(instance->id()) + ")";
        }
    }
    return result;
}

ProviderInstance* ProviderRegistry::find(std::uint32_t id) const {
    std::shared_lock lock(instances_mutex_);
    return id < instances_.size() ? instances_[id].get() : nullptr;
}

}  // namespace mdp::plugins

namespace mdp::plugins {

ProviderInstance* ProviderRegistry::find_by_name(const std::string& name) const {
    std::shared_lock lock(instances_mutex_);
    for (const auto& instance : instances_) {
        if (instance->name() == name && !instance->retired()) {
            return instance.get();
        }
    }
    return nullptr;
}

}  // namespace mdp::plugins
