#include "sample_snapshot.hpp"

#include "metrics/histogram.hpp"

#include <limits>
#include <string>
#include <tuple>

namespace mdp::test {
namespace {

constexpr std::int64_t kStartNs = 1'700'000'000'000'000'000;
constexpr std::int64_t kSecondNs = 1'000'000'000;

metrics::HistogramSnapshot sample_histogram(std::uint64_t scale) {
    metrics::Histogram histogram(metrics::Histogram::duration_bounds_seconds());
    for (std::uint64_t index = 0; index < 10 * scale; ++index) {
        histogram.observe(0.0003 * static_cast<double>(index % 7 + 1));
    }
    histogram.observe(42.0);  // beyond the last bound: only in +Inf
    return histogram.snapshot();
}

status::ProviderSnapshot provider(std::string name, std::string state, int level, double scale) {
    status::ProviderSnapshot result;
    result.name = std::move(name);
    result.plugin_id = "synthetic";
    result.plugin_version = "1.2.3";
    result.plugin_file = "mdp_synthetic.so";
    result.abi_version = "1.1.0";
    result.state = std::move(state);
    result.detail = "streaming 2 symbols";
    result.state_since_ns = kStartNs + 2 * kSecondNs;
    result.started_at_ns = kStartNs + kSecondNs;
    result.rate_scale = scale;
    result.level = level;
    result.published_by_type = {{"quote", 1000}, {"trade", 500}, {"bar", 20}};
    result.dropped_by_reason = {{"invalid", 3}};
    result.feedback_by_level = {{"ok", 2}, {"soft", 3}, {"hard", 1}};
    result.events_per_second = 150.5;
    return result;
}

}  // namespace

status::HostSnapshot sample_snapshot(std::size_t extra_providers) {
    status::HostSnapshot snapshot;
    snapshot.version = "0.1.0";
    snapshot.abi_version = "1.1.0";
    snapshot.run_id = "5f3a9c0e12ab34cd";
    snapshot.started_at_ns = kStartNs;
    snapshot.now_ns = kStartNs + 3600 * kSecondNs;

    snapshot.queue.coordinator_id = "store_coordinator";
    snapshot.queue.depth = 6500;
    snapshot.queue.capacity = 10000;
    snapshot.queue.low_watermark = 5000;
    snapshot.queue.high_watermark = 8000;
    snapshot.queue.level = "soft";
    snapshot.queue.level_value = 1;
    snapshot.queue.overflow_policy = "block";

    snapshot.providers.push_back(provider("synthetic", "running", 1, 0.5));
    status::ProviderSnapshot ibkr = provider("ibkr", "degraded", 2, 0.0);
    ibkr.plugin_id = "ibkr";
    ibkr.plugin_version = "0.9.0-\"beta\"";
    ibkr.detail = kHostileText;
    ibkr.last_error = std::string("farm connection lost: ") + kHostileText;
    ibkr.restarts = 4;
    ibkr.published_by_type = {{"quote", 7}};
    ibkr.dropped_by_reason = {{"queue_full_newest", 11}, {"shutdown", 1}};
    snapshot.providers.push_back(ibkr);
    status::ProviderSnapshot backup = provider("backup", "failed", 0, 1.0);
    backup.required = true;
    backup.last_error = "connect: connection refused";
    backup.started_at_ns = 0;
    backup.events_per_second = 0;
    snapshot.providers.push_back(backup);
    for (std::size_t index = 0; index < extra_providers; ++index) {
        snapshot.providers.push_back(provider("extra-" + std::to_string(index), "running", 1, 0.5));
    }

    status::SinkSnapshot main_sink;
    main_sink.name = "main";
    main_sink.type = "sqlite";
    main_sink.events_stored = 123456;
    main_sink.batches_written = 250;
    main_sink.write_errors = 2;
    main_sink.retries = 5;
    main_sink.last_write_seconds = 0.0042;
    main_sink.last_success_ns = snapshot.now_ns - kSecondNs;
    main_sink.write_duration_seconds = sample_histogram(3);
    main_sink.rows_by_table = {{"quotes", 100000}, {"trades", 23000}, {"bars", 456}};
    main_sink.errors_by_kind = {{"locked", 2}};
    snapshot.sinks.push_back(main_sink);
    status::SinkSnapshot archive = main_sink;
    archive.rows_by_table.clear();
    archive.errors_by_kind.clear();
    archive.name = "archive";
    archive.type = "jsonl";
    archive.events_stored = 120000;
    archive.write_errors = 0;
    archive.write_duration_seconds = sample_histogram(1);
    snapshot.sinks.push_back(archive);
    status::SinkSnapshot warehouse = main_sink;
    warehouse.name = "warehouse";
    warehouse.type = "postgres";
    warehouse.events_stored = 99000;
    warehouse.last_error = "connection refused";  // healthy again: the half-open probe succeeded
    warehouse.rows_by_table = {{"quotes", 80000}, {"trades", 19000}, {"bars_ohlcv", 0}};
    warehouse.errors_by_kind = {{"connect", 7}, {"circuit_open", 12}};
    warehouse.circuit_state = "half_open";
    snapshot.sinks.push_back(warehouse);

    for (const auto& [level, size] : {std::pair{"soft", 5001}, std::pair{"hard", 8000}, std::pair{"ok", 4999}}) {
        status::FeedbackEventRecord event;
        event.coordinator_id = "store_coordinator";
        event.queue_size = static_cast<std::uint64_t>(size);
        event.capacity = 10000;
        event.level = level;
        event.level_value = std::string(level) == "hard" ? 2 : (std::string(level) == "soft" ? 1 : 0);
        event.reason = std::string("depth crossed a watermark (") + level + ")";
        event.utilization = size / 10000.0;
        event.timestamp_ns = kStartNs + 60 * kSecondNs;
        snapshot.recent_feedback.push_back(event);
    }
    snapshot.event_latency_seconds = sample_histogram(5);
    for (const auto& [name, fresh, stale, closed] : {std::tuple{"synthetic", 40, 2, 0}, std::tuple{"ibkr", 0, 0, 12}}) {
        status::ProviderSymbolCounts counts;
        counts.provider = name;
        counts.fresh = static_cast<std::uint64_t>(fresh);
        counts.stale = static_cast<std::uint64_t>(stale);
        counts.closed = static_cast<std::uint64_t>(closed);
        snapshot.symbols.push_back(counts);
    }
    return snapshot;
}

status::HistorySnapshot sample_history(std::size_t samples, std::size_t extra_providers) {
    status::HistorySnapshot history;
    history.interval_seconds = 5.0;
    history.max_samples = 180;
    history.now_ns = kStartNs + 3600 * kSecondNs;
    history.queue_capacity = 10000;
    history.low_watermark = 5000;
    history.high_watermark = 8000;
    std::vector<std::string> names{"synthetic", kHostileName};
    for (std::size_t index = 0; index < extra_providers; ++index) {
        names.push_back("extra-" + std::to_string(index));
    }
    for (const std::string& name : names) {
        history.providers.push_back({name, {}});
    }
    history.sinks.push_back({"main", {}});
    for (std::size_t index = 0; index < samples; ++index) {
        const auto back = static_cast<std::int64_t>(samples - 1 - index);
        history.time_ns.push_back(history.now_ns - back * 5 * kSecondNs);
        history.queue_depth.push_back(index * 37);
        history.level_value.push_back(static_cast<int>(index % 3));
        const double rate = index == 0 ? std::numeric_limits<double>::quiet_NaN() : 100.0 + static_cast<double>(index);
        for (auto& series : history.providers) {
            series.per_second.push_back(rate);
        }
        history.sinks[0].per_second.push_back(rate * 2);
    }
    return history;
}

status::HostSnapshot healthy_snapshot() {
    status::HostSnapshot snapshot = sample_snapshot();
    for (status::ProviderSnapshot& provider : snapshot.providers) {
        provider.state = "running";
        provider.last_error.clear();
    }
    snapshot.queue.depth = 10;
    snapshot.queue.level = "ok";
    snapshot.queue.level_value = 0;
    return snapshot;
}

}  // namespace mdp::test
