#include "synthetic_provider.hpp"

#include "credit_pacer.hpp"
#include "event_generator.hpp"
#include "random_source.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <random>
#include <sstream>

namespace mdp::synthetic {

namespace {

// Longest a worker sleeps without re-reading the rate scale (bounds how late a scale rise
// or a missed feedback is noticed; stop and feedback wake it at once).
constexpr std::chrono::milliseconds kMaxSleep{100};
// How long a finished worker sleeps between checks of the stop flag (stop also wakes it).
constexpr std::chrono::seconds kIdleSleep{1};
constexpr std::int64_t kNanosecondsPerSecond = 1'000'000'000;
constexpr std::string_view kPausedPrefix = "paused by backpressure";

std::int64_t steady_now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::uint64_t random_seed() {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

std::string format_number(double value) {
    std::ostringstream stream;
    stream << value;
    return stream.str();
}

std::string symbols_text(std::size_t count) { return std::to_string(count) + (count == 1 ? " symbol" : " symbols"); }

GeneratorSettings worker_settings(const SyntheticConfig& config, std::uint64_t seed, std::size_t worker_index) {
    GeneratorSettings settings;
    // Symbols are dealt round-robin: worker i gets symbols i, i+threads, i+2*threads, ...
    for (std::size_t index = worker_index; index < config.symbols.size(); index += config.threads) {
        settings.symbols.push_back(config.symbols[index]);
        const auto pause = config.pause_symbols.find(config.symbols[index]);
        settings.pause_after_ns.push_back(
            pause == config.pause_symbols.end()
                ? std::nullopt
                : std::optional<std::int64_t>(static_cast<std::int64_t>(pause->second * 1e9)));
    }
    settings.trade_ratio = config.trade_ratio;
    settings.start_price = config.start_price;
    settings.volatility = config.volatility;
    for (const std::int64_t seconds : config.bar_intervals_seconds) {
        settings.bar_intervals_ns.push_back(seconds * kNanosecondsPerSecond);
    }
    settings.batch_capacity = config.batch_size;
    settings.seed = RandomSource::derive_seed(seed, worker_index);
    return settings;
}

}  // namespace

SyntheticProvider::SyntheticProvider(sdk::Host host, std::string instance_name, std::string_view config_json)
    : host_(host), instance_name_(std::move(instance_name)), config_(parse_synthetic_config_for(config_json, host)),
      seed_(config_.seed.value_or(random_seed())), budget_(config_.max_events) {}

SyntheticProvider::~SyntheticProvider() { stop(); }

void SyntheticProvider::start() {
    if (!workers_.empty()) {
        return;
    }
    start_workers();
}

void SyntheticProvider::start_workers() {
    std::ostringstream settings;
    const std::string shard = sdk::Shard(host_).describe();
    settings << symbols_text(config_.symbols.size()) << (shard.empty() ? "" : " (" + shard + ")") << ", "
             << (config_.unthrottled() ? std::string("unthrottled")
                                       : format_number(config_.rate_per_symbol) + " ev/s per symbol")
             << ", seed " << seed_ << ", " << config_.threads << " thread(s), batch " << config_.batch_size;
    host_.log(sdk::LogLevel::info, "synthetic '" + instance_name_ + "': " + settings.str());
    report(sdk::State::running, streaming_detail(host_.rate_scale()));

    workers_.reserve(config_.threads);
    for (std::size_t index = 0; index < config_.threads; ++index) {
        // A worker that throws reports FAILED (with the reason) instead of ending the process.
        workers_.push_back(sdk::start_guarded_thread(host_, "synthetic-worker-" + std::to_string(index),
                                                     [this, index] { publish_until_stopped(index); }));
    }
}

void SyntheticProvider::stop() { stop_workers(); }

void SyntheticProvider::stop_workers() {
    stop_.request_stop();
    for (auto& worker : workers_) {
        if (worker.joinable()) {
            worker.join();
        }
    }
    workers_.clear();
}

bool SyntheticProvider::reconfigure(std::string_view config_json) {
    SyntheticConfig next = parse_synthetic_config_for(config_json, host_);  // throws: nothing changes
    if (next.max_events != config_.max_events) {
        return false;  // the budget counts from the start of the instance
    }
    const bool was_running = !workers_.empty();
    stop_workers();
    config_ = std::move(next);
    if (config_.seed) {
        seed_ = *config_.seed;
    }
    finished_workers_.store(0);
    stop_.reset();
    host_.log(sdk::LogLevel::info, "synthetic '" + instance_name_ + "': reconfigured in place");
    if (was_running) {
        start_workers();
    }
    return true;
}

void SyntheticProvider::on_feedback(const mdp_feedback_t& /*feedback*/) {
    // The scale itself is read from host.rate_scale(), the single source of truth; this only
    // wakes paused or pacing workers so they react at once.
    stop_.nudge();
}

void SyntheticProvider::publish_until_stopped(std::size_t worker_index) {
    EventGenerator generator(worker_settings(config_, seed_, worker_index));
    std::optional<CreditPacer> pacer;
    if (!config_.unthrottled()) {
        pacer.emplace(config_.rate_per_symbol * static_cast<double>(generator.symbol_count()));
    }
    double last_scale = -1.0;
    while (!stop_.stop_requested()) {
        const double scale = host_.rate_scale();
        if (scale != last_scale) {
            report_scale(scale);
            last_scale = scale;
        }
        if (!(scale > 0.0)) {
            if (pacer) {
                pacer->accrue(steady_now_ns(), 0.0);  // a pause earns no credit
            }
            stop_.sleep_for(kMaxSleep);
            continue;
        }
        if (!publish_next_batch(generator, pacer ? &*pacer : nullptr, scale)) {
            finish_worker();
            while (!stop_.sleep_for(kIdleSleep)) {
            }
            return;
        }
    }
}

bool SyntheticProvider::publish_next_batch(EventGenerator& generator, CreditPacer* pacer, double scale) {
    std::uint32_t wanted = config_.batch_size;
    if (pacer != nullptr) {
        pacer->accrue(steady_now_ns(), scale);
        const std::uint64_t worthwhile = pacer->worthwhile_batch(scale, config_.batch_size);
        if (pacer->available() < worthwhile) {
            const std::int64_t wait_ns = pacer->time_until(worthwhile, scale).value_or(kMaxSleep.count() * 1'000'000);
            stop_.sleep_for(std::min<std::chrono::nanoseconds>(std::chrono::nanoseconds(wait_ns), kMaxSleep));
            return true;
        }
        wanted = static_cast<std::uint32_t>(std::min<std::uint64_t>(wanted, pacer->available()));
    }
    const std::uint32_t granted = budget_.claim(wanted);
    if (granted == 0) {
        return !budget_.exhausted();
    }
    const auto events = generator.fill(host_.now_ns(), granted);
    const sdk::PublishResult result = host_.publish(events);
    if (pacer != nullptr) {
        pacer->spend(granted);  // the budget and the pace count what was offered, dropped or not
    }
    published_.fetch_add(result.accepted, std::memory_order_relaxed);
    return true;
}

void SyntheticProvider::finish_worker() {
    // The last worker to run out of budget reports, so the count is final.
    if (finished_workers_.fetch_add(1) + 1 == config_.threads) {
        const std::string detail = "finished: " + std::to_string(published_.load()) + " events";
        host_.log(sdk::LogLevel::info, "synthetic '" + instance_name_ + "': " + detail);
        report(sdk::State::running, detail);
    }
}

void SyntheticProvider::report_scale(double scale) {
    if (budget_.exhausted()) {
        return;  // "finished" stays the detail
    }
    report(sdk::State::running, streaming_detail(scale));
}

void SyntheticProvider::report(sdk::State state, const std::string& detail) {
    std::lock_guard lock(report_mutex_);
    if (detail == last_detail_) {
        return;
    }
    // Pauses and resumes are rare (backpressure transitions) and worth a log line each.
    const bool was_paused = last_detail_.starts_with(kPausedPrefix);
    const bool is_paused = detail.starts_with(kPausedPrefix);
    // Both lines carry the count, so a log shows that nothing was published while paused.
    const std::string so_far = "; " + std::to_string(published_.load()) + " events published so far";
    if (is_paused) {
        host_.log(sdk::LogLevel::info, "synthetic '" + instance_name_ + "': " + detail + so_far);
    } else if (was_paused) {
        host_.log(sdk::LogLevel::info, "synthetic '" + instance_name_ + "': resumed: " + detail + so_far);
    }
    last_detail_ = detail;
    host_.report_state(state, detail);
}

std::string SyntheticProvider::streaming_detail(double scale) const {
    const std::string symbols = symbols_text(config_.symbols.size());
    const std::string rate =
        config_.unthrottled() ? std::string("unthrottled") : "at " + format_number(config_.rate_per_symbol) + " ev/s";
    if (!(scale > 0.0)) {
        return std::string(kPausedPrefix) + " (scale 0): " + symbols + " " + rate;
    }
    return "streaming " + symbols + " " + rate + " (scale " + format_number(scale) + ")";
}

}  // namespace mdp::synthetic
