#pragma once
// One thread that runs blocking tasks (provider control actions) off the io thread, one at
// a time, with a short bounded queue: an operator clicking twice waits in line, a flood of
// requests is refused instead of piling up.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace mdp::http {

class BackgroundWorker {
   public:
    explicit BackgroundWorker(std::size_t max_queued);
    ~BackgroundWorker();
    BackgroundWorker(const BackgroundWorker&) = delete;
    BackgroundWorker& operator=(const BackgroundWorker&) = delete;

    // [any thread] Queues `task`; false (and `task` dropped) when the queue is full or the
    // worker stopped. The thread starts with the first task.
    bool submit(std::function<void()> task);

    // Drops what is queued but not started (destroying those tasks on the calling thread),
    // waits for the running one, joins. Idempotent.
    void stop();

   private:
    void run();

    std::size_t max_queued_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> tasks_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace mdp::http
