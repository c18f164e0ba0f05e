#include "http/readiness.hpp"

#include <algorithm>

namespace mdp::http {
namespace {

constexpr double kNanosecondsPerSecond = 1e9;

std::string quoted(const std::string& name) { return "'" + name + "'"; }

void check_sink(const status::SinkSnapshot& sink, const status::HostSnapshot& snapshot, const ReadinessPolicy& policy,
                ReadinessReport& report) {
    if (!sink.healthy) {
        std::string reason = "sink " + quoted(sink.name) + " is failing";
        if (!sink.last_error.empty()) {
            reason += ": " + sink.last_error;
        }
        report.reasons.push_back(std::move(reason));
        return;
    }
    const std::int64_t last_progress_ns = std::max(sink.last_success_ns, snapshot.started_at_ns);
    const std::int64_t waiting_ns = snapshot.now_ns - last_progress_ns;
    if (snapshot.queue.depth > 0 && last_progress_ns > 0 && waiting_ns > policy.sink_stall_after_ns) {
        report.reasons.push_back("sink " + quoted(sink.name) + " is stalled: no write completed for " +
                                 std::to_string(static_cast<std::int64_t>(waiting_ns / kNanosecondsPerSecond)) +
                                 " s while " + std::to_string(snapshot.queue.depth) + " events wait");
    }
}

void check_provider(const status::ProviderSnapshot& provider, ReadinessReport& report) {
    if (!provider.enabled) {
        return;
    }
    const std::string who = (provider.required ? "required provider " : "provider ") + quoted(provider.name);
    if (provider.state == "running") {
        return;
    }
    if (provider.state == "degraded") {
        std::string note = who + " is degraded";
        if (!provider.detail.empty()) {
            note += ": " + provider.detail;
        }
        report.notes.push_back(std::move(note));
        return;
    }
    std::string reason = who + " is " + (provider.state.empty() ? std::string("in an unknown state") : provider.state);
    const std::string& why =
        provider.state == "failed" && !provider.last_error.empty() ? provider.last_error : provider.detail;
    if (!why.empty()) {
        reason += ": " + why;
    }
    report.reasons.push_back(std::move(reason));
}

}  // namespace

ReadinessReport evaluate_startup(const status::HostSnapshot& snapshot) {
    ReadinessReport report;
    if (snapshot.shutting_down) {
        report.reasons.emplace_back("host is shutting down");
    } else if (!snapshot.startup_complete) {
        report.reasons.emplace_back("host is starting: sinks and providers are not all started yet");
    }
    report.ready = report.reasons.empty();
    return report;
}

ReadinessReport evaluate_readiness(const status::HostSnapshot& snapshot, const ReadinessPolicy& policy) {
    ReadinessReport report;
    if (snapshot.shutting_down) {
        report.reasons.emplace_back("host is shutting down");
    }
    for (const status::SinkSnapshot& sink : snapshot.sinks) {
        check_sink(sink, snapshot, policy, report);
    }
    for (const status::ProviderSnapshot& provider : snapshot.providers) {
        check_provider(provider, report);
    }
    if (snapshot.queue.level_value != 0) {
        report.notes.push_back("store queue backpressure is " + snapshot.queue.level + " (depth " +
                               std::to_string(snapshot.queue.depth) + " of " + std::to_string(snapshot.queue.capacity) +
                               ")");
    }
    report.ready = report.reasons.empty();
    return report;
}

}  // namespace mdp::http
