#pragma once
// Runs a call that may never return (plugin code) with a deadline. The call runs on its own
// thread; when the deadline passes first the caller gets `false` and goes on, and the thread
// is left to finish (or hang) on its own with everything it captured kept alive — there is
// no safe way to cancel foreign code, only to stop waiting for it.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace mdp::common {

// A call running on its own detached thread, waited for in as many steps as the caller
// needs (e.g. a first deadline after which the caller unblocks what the call waits on, then
// a last one).
class DetachedCall {
   public:
    // [any-thread] Starts `call` at once. `call` must capture by value (or shared_ptr)
    // whatever it needs beyond the caller's last wait.
    explicit DetachedCall(std::function<void()> call) : state_(std::make_shared<State>()) {
        std::thread([state = state_, call = std::move(call)] {
            call();
            std::lock_guard lock(state->mutex);
            state->done = true;
            state->done_signal.notify_all();
        }).detach();
    }

    // [the thread that started it] True once the call returned; waits at most `timeout`.
    bool wait_for(std::chrono::milliseconds timeout) {
        std::unique_lock lock(state_->mutex);
        return state_->done_signal.wait_for(lock, timeout, [&] { return state_->done; });
    }

   private:
    struct State {
        std::mutex mutex;
        std::condition_variable done_signal;
        bool done = false;
    };
    std::shared_ptr<State> state_;
};

// [any-thread] True when `call` returned within `timeout`. `call` must capture by value (or
// shared_ptr) whatever it needs beyond the deadline.
inline bool call_with_timeout(std::function<void()> call, std::chrono::milliseconds timeout) {
    DetachedCall running(std::move(call));
    return running.wait_for(timeout);
}

}  // namespace mdp::common
