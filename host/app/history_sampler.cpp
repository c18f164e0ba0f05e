#include "app/history_sampler.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

namespace mdp::app {
namespace {

// Raises `peak` to `value` if it is higher.
template <typename T>
void raise_to(std::atomic<T>& peak, T value) {
    T current = peak.load(std::memory_order_relaxed);
    while (value > current && !peak.compare_exchange_weak(current, value, std::memory_order_relaxed)) {
    }
}

}  // namespace

HistorySampler::HistorySampler(HistoryRing& ring, std::chrono::milliseconds interval, Reader read)
    : ring_(ring), interval_(interval), read_(std::move(read)) {}

HistorySampler::~HistorySampler() { stop(); }

void HistorySampler::start() {
    thread_ = std::thread([this] { run(); });
}

void HistorySampler::stop() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void HistorySampler::note_queue(std::uint64_t depth, int level_value) {
    raise_to(peak_depth_, depth);
    raise_to(peak_level_, level_value);
}

void HistorySampler::run() {
    auto next = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        sample();
        lock.lock();
        // On schedule when readings are quick; after a slow one, a full interval from now.
        next = std::max(next + interval_, std::chrono::steady_clock::now());
        wake_.wait_until(lock, next, [this] { return stopping_; });
    }
}

void HistorySampler::sample() {
    try {
        HistoryReading reading = read_();
        reading.queue_depth = std::max(reading.queue_depth, peak_depth_.exchange(0, std::memory_order_relaxed));
        reading.level_value = std::max(reading.level_value, peak_level_.exchange(0, std::memory_order_relaxed));
        ring_.record(reading);
    } catch (const std::exception& error) {
        spdlog::warn("status history: a sample was skipped: {}", error.what());
    }
}

}  // namespace mdp::app
