#include "app/config_reloader.hpp"

#include "common/clock.hpp"
#include "config/config_loader.hpp"
#include "config/env_overrides.hpp"

#include <spdlog/spdlog.h>

#include <map>

namespace mdp::app {

namespace {

std::string join(const std::vector<std::string>& parts, const char* separator) {
    std::string text;
    for (const auto& part : parts) {
        text += (text.empty() ? "" : separator) + part;
    }
    return text;
}

}  // namespace

// The libraries resolved for the providers to (re)create, by provider name.
struct ConfigReloader::Validated {
    std::map<std::string, std::shared_ptr<plugins::PluginLibrary>> libraries;
    std::vector<std::string> plugin_files_changed;
};

status::ControlResult ConfigReloader::reload(const std::string& requester) {
    config::HostConfig& running = *targets_.running;
    spdlog::info("config reload requested by {}: reading {}", requester, running.source_file);
    config::HostConfig next;
    try {
        next = config::load_host_config(running.source_file, config::mdp_environment());
    } catch (const std::exception& error) {
        return refuse(requester, error.what());
    }
    ReloadPlan plan = plan_reload(running, next);
    if (!plan.not_live.empty()) {
        return refuse(requester, "these settings cannot change while the host runs (restart the host to apply them): " +
                                     join(plan.not_live, ", "));
    }
    Validated validated;
    validated.plugin_files_changed = targets_.catalog->forget_changed_files();
    std::vector<std::string> errors;
    for (auto& change : plan.providers) {
        if (change.kind == ProviderChangeKind::removed || !change.next->enabled) {
            continue;
        }
        const plugins::ProviderInstance* instance = targets_.providers->find_by_name(change.name);
        try {
            auto library =
                targets_.catalog->resolve(change.next->plugin, change.next->sha256, !change.next->isolated());
            if (change.kind == ProviderChangeKind::unchanged && instance != nullptr && instance->library() &&
                instance->library() != library) {
                change.kind = ProviderChangeKind::changed;  // its plugin file was replaced
            }
            if (change.kind == ProviderChangeKind::unchanged) {
                continue;
            }
            validated.libraries[change.name] = std::move(library);
        } catch (const plugins::PluginLoadError& error) {
            errors.push_back(running.source_file + ": providers: " + change.name + ": " + error.what());
            continue;
        }
        const std::string error = plugins::ProviderRegistry::probe(*targets_.catalog, *change.next);
        if (!error.empty()) {
            errors.push_back(error);
        }
    }
    if (!errors.empty()) {
        return refuse(requester, join(errors, "; "));
    }
    return apply(requester, std::move(next), plan, validated);
}

void ConfigReloader::apply_freshness(const ProviderChange& change) {
    const plugins::ProviderInstance* instance = targets_.providers->find_by_name(change.name);
    if (targets_.symbols == nullptr || instance == nullptr) {
        return;
    }
    if (change.kind == ProviderChangeKind::removed) {
        targets_.symbols->remove(instance->id());
    } else {
        targets_.symbols->configure(instance->id(), change.name, change.next->freshness);
    }
}

status::ControlResult ConfigReloader::apply(const std::string& requester, config::HostConfig next,
                                            const ReloadPlan& plan, Validated& validated) {
    nlohmann::json report = nlohmann::json::array();
    std::vector<std::string> failures;
    std::vector<std::string> summary;
    for (const auto& change : plan.providers) {
        std::string result = "unchanged";
        std::string error;
        plugins::ProviderInstance* instance = targets_.providers->find_by_name(change.name);
        if (change.kind == ProviderChangeKind::removed) {
            apply_freshness(change);  // while the instance is still found by name
            instance->retire();
            result = "stopped and removed";
        } else if (change.kind == ProviderChangeKind::changed) {
            const auto outcome = instance->reconfigure(*change.next, validated.libraries[change.name], error);
            targets_.supervisor->forgive(instance->id());
            result = outcome == plugins::ProviderInstance::ReconfigureOutcome::in_place ? "reconfigured in place"
                     : outcome == plugins::ProviderInstance::ReconfigureOutcome::restarted
                         ? "restarted with the new config"
                         : "failed: " + error;
        } else if (change.kind == ProviderChangeKind::added) {
            targets_.provider_names.push_back(change.name);
            plugins::ProviderInstance& added = targets_.providers->add(*change.next);
            targets_.rate_control->add_receiver(&added, pipeline::overrides_of(*change.next));
            targets_.supervisor->forgive(added.id());
            if (!change.next->enabled) {
                added.mark_disabled();
                result = "added (disabled)";
            } else {
                added.attach(validated.libraries[change.name]);
                result = added.create(error) && added.start(error) ? "added and started" : "failed: " + error;
            }
        }
        if (change.kind != ProviderChangeKind::removed) {
            apply_freshness(change);
            // Like freshness, applied at once without a restart: the bars open under the old
            // settings are queued first. (A removed instance keeps its bars: they close on time.)
            if (plugins::ProviderInstance* target = targets_.providers->find_by_name(change.name)) {
                target->configure_bars(change.next->bars);
            }
        }
        if (result.starts_with("failed")) {
            failures.push_back(change.name + ": " + result);
        }
        if (change.kind != ProviderChangeKind::unchanged) {
            summary.push_back(change.name + " " + to_string(change.kind) + " (" + result + ")");
            spdlog::info("config reload: provider {}: {}: {}", change.name, to_string(change.kind), result);
        }
        report.push_back({{"provider", change.name}, {"change", to_string(change.kind)}, {"result", result}});
    }
    *targets_.running = std::move(next);
    const std::string message = summary.empty() ? "applied: nothing changed" : "applied: " + join(summary, ", ");
    record(failures.empty(), message, true);
    spdlog::log(failures.empty() ? spdlog::level::info : spdlog::level::err, "config reload requested by {}: {}",
                requester, message);
    nlohmann::json details = {{"generation", snapshot().generation},
                              {"providers", report},
                              {"sinks", "unchanged"},
                              {"plugin_files_changed", validated.plugin_files_changed}};
    return {failures.empty() ? 200 : 500, message, details};
}

status::ControlResult ConfigReloader::refuse(const std::string& requester, const std::string& message) {
    record(false, "refused, nothing changed: " + message, false);
    spdlog::error("config reload requested by {} refused, nothing changed: {}", requester, message);
    return {422, "refused, nothing changed: " + message, nlohmann::json{{"generation", snapshot().generation}}};
}

void ConfigReloader::record(bool success, const std::string& message, bool applied) {
    std::lock_guard lock(mutex_);
    if (applied) {
        ++state_.generation;
    }
    ++(success ? state_.succeeded : state_.failed);
    state_.last_at_ns = common::utc_now_ns();
    state_.last_result = success ? "success" : "failure";
    state_.last_message = message;
}

status::ReloadSnapshot ConfigReloader::snapshot() const {
    std::lock_guard lock(mutex_);
    return state_;
}

}  // namespace mdp::app
