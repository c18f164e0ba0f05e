#include "app/host_application.hpp"

#include "build_info.hpp"
#include "common/clock.hpp"
#include "config/config_error.hpp"
#include "http/http_server.hpp"
#include "sinks/sink_registry.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <random>

namespace mdp::app {

namespace {

// How often the control thread runs the supervisor (restart backoff, failure policy) when
// nothing wakes it; signals and control or reload requests end the wait at once.
constexpr auto kControlPollInterval = std::chrono::milliseconds(200);

std::vector<std::unique_ptr<sinks::Sink>> create_sinks(const config::StoreConfig& store) {
    std::vector<std::unique_ptr<sinks::Sink>> result;
    for (const auto& sink : store.sinks) {
        result.push_back(sinks::create_sink(sink));
    }
    return result;
}

std::vector<std::filesystem::path> to_paths(const std::vector<std::string>& directories) {
    return {directories.begin(), directories.end()};
}

pipeline::Watermarks watermarks_of(const config::HostConfig& config) {
    return pipeline::watermarks_for(config.store.queue_capacity, config.backpressure.low_watermark_pct,
                                    config.backpressure.high_watermark_pct);
}

pipeline::Hysteresis hysteresis_of(const config::HostConfig& config) {
    return {
        pipeline::soft_band_for(config.store.queue_capacity, watermarks_of(config), config.backpressure.soft_band_pct),
        std::chrono::milliseconds(config.backpressure.min_dwell_ms)};
}

}  // namespace

std::string make_run_id() {
    std::random_device device;
    std::uniform_int_distribution<std::uint64_t> bits;
    char text[33];
    std::snprintf(text, sizeof(text), "%016llx%016llx", static_cast<unsigned long long>(bits(device)),
                  static_cast<unsigned long long>(bits(device)));
    return text;
}

HostApplication::HostApplication(config::HostConfig config)
    : config_(std::move(config)), run_id_(make_run_id()),
      queue_(config_.store.queue_capacity, config_.store.overflow_policy),
      controller_(
          config_.store.queue_capacity, watermarks_of(config_), config_.backpressure.coordinator_id,
          [this] { return queue_.depth(); }, hysteresis_of(config_)),
      rate_control_(config_.backpressure), coordinator_(std::make_unique<pipeline::StoreCoordinator>(
                                               queue_, controller_, create_sinks(config_.store), config_.store)),
      catalog_(to_paths(config_.plugin_path), config_.allow_insecure_plugin_permissions),
      providers_(config_, plugins::PublishTarget{&queue_, &controller_, &stored_acks_, &event_origins_}),
      provider_names_(providers_.names()), supervisor_(providers_),
      reloader_(
          ReloadTargets{&config_, &catalog_, &providers_, &supervisor_, &rate_control_, provider_names_, &symbols_}),
      feedback_enabled_(config_.backpressure.feedback_enabled), history_(kHistorySamples, kHistoryInterval),
      history_sampler_(history_, kHistoryInterval, [this] { return history_reading(); }) {
    queue_.set_eviction_observer([this](const pipeline::StoreEvent& evicted) {
        if (auto* instance = providers_.find(evicted.provider_id)) {
            instance->count_evicted();
        }
        stored_acks_.settle_one(evicted, pipeline::Settlement::dropped);
    });
    coordinator_->set_stored_acks(&stored_acks_);
    controller_.subscribe([this](const status::FeedbackEvent& event) { rate_control_.on_feedback(event); });
    if (!config_.backpressure.feedback_urls.empty()) {
        webhook_ = std::make_unique<pipeline::FeedbackWebhook>(config_.backpressure);
        controller_.subscribe([this](const status::FeedbackEvent& event) { webhook_->enqueue(event); });
    }
    controller_.on_tick([this](std::chrono::steady_clock::time_point now) { rate_control_.on_tick(now); });
    // The history keeps the highest depth and level of each interval, from the readings the
    // controller's tick takes anyway (every 100 ms).
    controller_.on_tick([this](std::chrono::steady_clock::time_point) {
        history_sampler_.note_queue(queue_.depth(), static_cast<int>(controller_.level()));
    });
    for (auto& instance : providers_.instances()) {
        rate_control_.add_receiver(instance.get(), pipeline::overrides_of(instance->config()));
        symbols_.configure(instance->id(), instance->config().name, instance->config().freshness);
    }
    // Symbol freshness is tracked on the coordinator thread, which sees every stored event
    // in order: the providers' publish calls stay as they are (docs/data-quality.md).
    coordinator_->observe_batches(
        [this](std::span<const pipeline::StoreEvent> batch) { symbols_.record(batch, common::utc_now_ns()); });
}

HostApplication::~HostApplication() {
    if (http_server_) {
        http_server_->stop();
    }
}

int HostApplication::run(ShutdownSignal& shutdown) {
    started_at_ns_ = common::utc_now_ns();
    // Before the HTTP server exists: a control or reload request ends the control thread's
    // wait at once instead of at the next poll.
    control_.wake_with([&shutdown] { shutdown.wake(); });
    reload_requests_.wake_with([&shutdown] { shutdown.wake(); });
    for (const auto& notice : config_.notices) {
        spdlog::warn("{}", notice);
    }
    const int start_result = start_or_fail();
    if (start_result != 0) {
        return shut_down(start_result);
    }
    startup_complete_.store(true, std::memory_order_release);
    log_started();
    supervisor_.note_startup_failures();
    while (!shutdown.wait_for(kControlPollInterval)) {
        control_.process(providers_, supervisor_);
        reload_if_requested(shutdown);
        const std::string failure = supervisor_.tick(std::chrono::steady_clock::now());
        if (!failure.empty()) {
            spdlog::critical("{}; shutting down", failure);
            return shut_down(1);
        }
    }
    if (shutdown.received_signal() != 0) {
        spdlog::info("received signal {}; stopping providers and draining the store queue", shutdown.received_signal());
    }
    return shut_down(0);
}

void HostApplication::reload_if_requested(ShutdownSignal& signals) {
    if (signals.take_reload_signal() && !reload_requests_.request("SIGHUP")) {
        spdlog::warn("SIGHUP: a config reload is already running; this one is ignored");
    }
    if (const auto requester = reload_requests_.take()) {
        reload_requests_.finish(reloader_.reload(*requester));
    }
}

int HostApplication::start_or_fail() {
    sinks::SinkContext context{run_id_, provider_names_, event_origins_};
    try {
        coordinator_->open_sinks(context);
    } catch (const std::exception& error) {
        spdlog::critical("{}", error.what());
        return 1;
    }
    std::string failure = providers_.create_all(catalog_);
    if (!failure.empty()) {
        spdlog::critical("{}", failure);
        return 1;
    }
    if (config_.http.enabled) {
        try {
            // The control API exists only with an admin token (the server checks it). The
            // handler runs on the io thread and only queues the request for the control
            // thread, which completes it; shut_down() rejects what is still queued before
            // the server stops, so no completion outlives it.
            http_server_ = std::make_unique<http::HttpServer>(
                config_.http, [this] { return snapshot(); },
                [this](const std::string& provider, status::ControlAction action, const std::string& requester,
                       status::ControlCompletion done) {
                    if (action == status::ControlAction::reload) {
                        reload_requests_.request(requester, std::move(done));
                    } else {
                        control_.request(provider, action, requester, std::move(done));
                    }
                },
                [this](const status::SymbolQuery& query) { return symbols(query); }, [this] { return history(); });
            http_server_->start();
        } catch (const std::exception& error) {
            spdlog::critical("http: {}", error.what());
            return 1;
        }
    }
    controller_.start();
    coordinator_->start();
    coordinator_started_ = true;
    bar_timer_.start();
    history_sampler_.start();  // before the providers: its first reading is every counter's baseline
    failure = providers_.start_all();
    if (!failure.empty()) {
        spdlog::critical("{}", failure);
        return 1;
    }
    return 0;
}

int HostApplication::shut_down(int exit_code) {
    shutting_down_.store(true, std::memory_order_release);
    control_.reject_pending("the host is shutting down");
    reload_requests_.reject_all("the host is shutting down");
    // Providers stop first, while the queue still accepts and the coordinator still drains,
    // so what they flush in stop() is stored. Each stop is bounded by its own deadline (a
    // provider blocked on a full queue is released at half of it, see ProviderInstance::stop);
    // then the host's open bars are queued; only then does the queue close, and what it
    // accepted is drained below.
    providers_.stop_all();
    // The bars the providers' last ticks left open are published too (docs/data-quality.md).
    providers_.flush_bars([this] { bar_timer_.stop(); });
    queue_.close();
    std::uint64_t not_stored = 0;
    if (coordinator_started_) {
        not_stored = coordinator_->drain_and_stop();
    }
    controller_.stop();
    if (http_server_) {
        http_server_->stop();
    }
    history_sampler_.stop();
    log_summary();
    providers_.destroy_all();
    return exit_code_after_losses(exit_code, not_stored, providers_.shutdown_drops());
}

int exit_code_after_losses(int exit_code, std::uint64_t not_stored, std::uint64_t shutdown_drops) {
    if (not_stored != 0) {
        spdlog::critical("{} accepted events could not be stored before the drain deadline", not_stored);
    }
    if (shutdown_drops != 0) {
        spdlog::critical(
            "{} events were dropped (reason shutdown): providers offered them while stopping and the "
            "store queue could not take them",
            shutdown_drops);
    }
    if (not_stored != 0 || shutdown_drops != 0) {
        return exit_code == 0 ? 1 : exit_code;
    }
    spdlog::info("mdp-host stopped (exit code {})", exit_code);
    return exit_code;
}

void HostApplication::log_started() const {
    std::string sink_text;
    for (const auto& sink : coordinator_->sink_snapshots()) {
        const std::string where = sink.destination.empty() ? "" : " -> " + sink.destination;
        sink_text += (sink_text.empty() ? "" : ", ") + sink.name + " (" + sink.type + where + ")";
    }
    spdlog::info("mdp-host {} running: {} provider(s), sinks: {}", kVersion, config_.providers.size(),
                 sink_text.empty() ? "none" : sink_text);
    if (http_server_) {
        const std::string host = config_.http.bind_address == "0.0.0.0" ? "localhost" : config_.http.bind_address;
        spdlog::info("status page: http://{}:{}/  metrics: http://{}:{}/metrics", host, http_server_->port(), host,
                     http_server_->port());
    }
}

status::HostSnapshot HostApplication::snapshot() const {
    status::HostSnapshot result;
    result.version = kVersion;
    result.abi_version = plugins::to_string(plugins::host_abi_version());
    result.run_id = run_id_;
    result.started_at_ns = started_at_ns_;
    result.now_ns = common::utc_now_ns();
    const auto marks = controller_.watermarks();
    result.queue.depth = queue_.depth();
    result.queue.capacity = queue_.capacity();
    result.queue.low_watermark = marks.low;
    result.queue.high_watermark = marks.high;
    result.queue.level_value = static_cast<int>(controller_.level());
    result.queue.level = std::string(pipeline::to_string(controller_.level()));
    result.queue.coordinator_id = controller_.coordinator_id();
    result.queue.overflow_policy = std::string(config::to_string(queue_.policy()));
    result.queue.feedback_enabled = feedback_enabled_;
    result.providers = providers_.snapshots();
    result.sinks = coordinator_->sink_snapshots();
    result.recent_feedback = controller_.recent_events();
    result.event_latency_seconds = coordinator_->latency_snapshot();
    result.startup_complete = startup_complete_.load(std::memory_order_acquire);
    result.shutting_down = shutting_down_.load(std::memory_order_acquire);
    result.config = reloader_.snapshot();
    result.symbols = symbols_.counts(result.now_ns);
    return result;
}

status::SymbolPage HostApplication::symbols(const status::SymbolQuery& query) const {
    return symbols_.query(query, common::utc_now_ns());
}

status::HistorySnapshot HostApplication::history() const {
    status::HistorySnapshot result = history_.snapshot();
    result.now_ns = common::utc_now_ns();
    const auto marks = controller_.watermarks();
    result.queue_capacity = queue_.capacity();
    result.low_watermark = marks.low;
    result.high_watermark = marks.high;
    return result;
}

HistoryReading HostApplication::history_reading() const {
    HistoryReading reading;
    reading.time_ns = common::utc_now_ns();
    reading.taken_at = std::chrono::steady_clock::now();
    reading.queue_depth = queue_.depth();
    reading.level_value = static_cast<int>(controller_.level());
    for (const auto& provider : providers_.snapshots()) {
        if (provider.enabled) {  // a disabled instance publishes nothing: no line for it
            reading.providers.push_back({provider.name, status::sum_of_counts(provider.published_by_type)});
        }
    }
    for (const auto& sink : coordinator_->sink_snapshots()) {
        reading.sinks.push_back({sink.name, sink.events_stored});
    }
    return reading;
}

void HostApplication::log_summary() const {
    status::HostSnapshot state = snapshot();
    state.providers = providers_.snapshots(true);  // what removed instances published counts too
    nlohmann::json summary;
    summary["run_id"] = state.run_id;
    summary["providers"] = nlohmann::json::object();
    for (const auto& provider : state.providers) {
        std::uint64_t published = 0;
        std::uint64_t dropped = 0;
        for (const auto& [type, count] : provider.published_by_type) {
            published += count;
        }
        for (const auto& [reason, count] : provider.dropped_by_reason) {
            dropped += count;
        }
        summary["providers"][provider.name] = {{"published", published},
                                               {"dropped", dropped},
                                               {"by_type", provider.published_by_type},
                                               {"dropped_by_reason", provider.dropped_by_reason},
                                               {"state", provider.state},
                                               {"restarts", provider.restarts}};
    }
    summary["sinks"] = nlohmann::json::object();
    for (const auto& sink : state.sinks) {
        summary["sinks"][sink.name] = {{"stored", sink.events_stored}, {"errors", sink.write_errors}};
    }
    summary["not_stored"] = coordinator_->not_stored();
    spdlog::info("mdp-summary {}", summary.dump());
}

}  // namespace mdp::app
