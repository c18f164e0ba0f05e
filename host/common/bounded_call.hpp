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

// [any-thread] True when `call` returned within `timeout`. `call` must capture by value (or
// shared_ptr) whatever it needs beyond the deadline.
inline bool call_with_timeout(std::function<void()> call, std::chrono::milliseconds timeout) {
    struct State {
        std::mutex mutex;
        std::condition_variable done_signal;
        bool done = false;
    };
    auto state = std::make_shared<State>();
    std::thread([state, call = std::move(call)] {
        call();
        std::lock_guard lock(state->mutex);
        state->done = true;
        state->done_signal.notify_all();
    }).detach();
    std::unique_lock lock(state->mutex);
    return state->done_signal.wait_for(lock, timeout, [&] { return state->done; });
}

}  // namespace mdp::common
