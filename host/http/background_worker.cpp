#include "http/background_worker.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace mdp::http {

BackgroundWorker::BackgroundWorker(std::size_t max_queued) : max_queued_(max_queued) {}

BackgroundWorker::~BackgroundWorker() { stop(); }

bool BackgroundWorker::submit(std::function<void()> task) {
    {
        const std::lock_guard lock(mutex_);
        if (stopping_ || tasks_.size() >= max_queued_) {
            return false;
        }
        tasks_.push_back(std::move(task));
        if (!thread_.joinable()) {
            thread_ = std::thread([this] { run(); });
        }
    }
    wake_.notify_one();
    return true;
}

void BackgroundWorker::stop() {
    std::deque<std::function<void()>> dropped;
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
        dropped.swap(tasks_);
    }
    wake_.notify_one();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void BackgroundWorker::run() {
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
            if (stopping_ || tasks_.empty()) {
                return;
            }
            task = std::move(tasks_.front());
            tasks_.pop_front();
        }
        try {
            task();
        } catch (const std::exception& error) {
            spdlog::error("http: background task failed: {}", error.what());
        } catch (...) {
            spdlog::error("http: background task failed with an unknown exception");
        }
    }
}

}  // namespace mdp::http
