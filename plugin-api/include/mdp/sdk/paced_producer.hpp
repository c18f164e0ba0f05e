// mdp plugin SDK — a producer thread that follows the host's rate scale.
//
// Most providers have one loop: "publish what is due, sleep until the next thing is due,
// slow down when the host says so, pause at 0, stop at once when asked". PacedProducer is
// that loop. The provider supplies a step function; the producer calls it on its own
// thread with the current *schedule time* and the step publishes everything due by then
// and says when its next event is due.
//
// Schedule time runs at the host's rate scale: at scale 1.0 one second of wall time is one
// second of schedule, at 0.5 half a second (so every paced source runs at half its rate),
// at 0.0 it stands still (a pause; nothing is called, nothing is due, and there is no
// catch-up burst afterwards). It starts at 0 when start() runs.
//
// An *unpaced* source (one that always has more due, e.g. "replay as fast as possible")
// returns a due time <= the schedule time it was given. At scale 1.0 it runs flat out; at a
// scale s below 1 the producer sleeps after each step for (1/s - 1) times the step's wall
// time, so it spends the fraction s of its time producing: "half rate" means half of what
// it reaches unthrottled.
//
// Threads: start(), stop() [control thread]; wake() [any thread, never blocks: call it from
// on_feedback]; the step and on_pause run on the producer's thread. An exception escaping
// the step reports the provider FAILED (as start_guarded_thread does) and ends the thread.
#ifndef MDP_SDK_PACED_PRODUCER_HPP
#define MDP_SDK_PACED_PRODUCER_HPP

#include <mdp/plugin.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

namespace mdp::sdk {

// Schedule time that advances at a rate scale; the clock the producer's steps see. Pure
// arithmetic on the times it is given, so a test can drive it without sleeping.
class ScaledClock {
   public:
    // Advances by the wall time since the previous call times `scale` (clamped to 0..1);
    // the first call only starts the clock.
    void advance(std::int64_t wall_ns, double scale) noexcept {
        if (last_wall_ns_) {
            schedule_ns_ +=
                static_cast<std::int64_t>(static_cast<double>(wall_ns - *last_wall_ns_) * std::clamp(scale, 0.0, 1.0));
        }
        last_wall_ns_ = wall_ns;
    }
    [[nodiscard]] std::int64_t schedule_ns() const noexcept { return schedule_ns_; }

    // Wall nanoseconds until the schedule reaches `due_ns` at `scale` (0 when it has);
    // nullopt at scale 0, where it never does.
    [[nodiscard]] std::optional<std::int64_t> wall_ns_until(std::int64_t due_ns, double scale) const noexcept {
        if (due_ns <= schedule_ns_) {
            return 0;
        }
        if (scale <= 0.0) {
            return std::nullopt;
        }
        return static_cast<std::int64_t>(static_cast<double>(due_ns - schedule_ns_) / std::min(scale, 1.0));
    }

   private:
    std::int64_t schedule_ns_ = 0;
    std::optional<std::int64_t> last_wall_ns_;
};

class PacedProducer {
   public:
    // Publishes what is due at `schedule_ns` and returns the schedule time of the next
    // event, or nullopt when the source is finished (the thread then idles until stop()).
    using Step = std::function<std::optional<std::int64_t>(std::int64_t schedule_ns)>;
    // Called with true when a rate scale of 0 pauses the producer, false when it resumes:
    // the place to report "paused by backpressure" in the state detail.
    using PauseHandler = std::function<void(bool paused)>;

    // Longest single sleep: a missed wake-up costs at most this much.
    static constexpr std::chrono::milliseconds kMaxSleep{100};

    PacedProducer() = default;
    PacedProducer(const PacedProducer&) = delete;
    PacedProducer& operator=(const PacedProducer&) = delete;
    ~PacedProducer() { stop(); }

    // [control thread] Starts the thread named `name` (used in failure reports).
    void start(Host host, std::string name, Step step, PauseHandler on_pause = {}) {
        stop();
        {
            std::lock_guard lock(mutex_);
            stop_requested_ = false;
        }
        thread_ = start_guarded_thread(
            host, std::move(name),
            [this, host, step = std::move(step), on_pause = std::move(on_pause)] { run(host, step, on_pause); });
    }

    // [control thread] Wakes the thread from any sleep, waits for the step in progress to
    // return and joins. Idempotent.
    void stop() {
        {
            std::lock_guard lock(mutex_);
            stop_requested_ = true;
        }
        wake_.notify_all();
        if (thread_.joinable()) {
            thread_.join();
        }
    }

    // [any thread, never blocks for long] Re-read the rate scale now (call from on_feedback).
    void wake() {
        {
            std::lock_guard lock(mutex_);
            ++wakeups_;
        }
        wake_.notify_all();
    }

    // [any thread] True once stop() was called; a long step may poll it.
    [[nodiscard]] bool stop_requested() const {
        std::lock_guard lock(mutex_);
        return stop_requested_;
    }

   private:
    using SteadyClock = std::chrono::steady_clock;

    static std::int64_t wall_now_ns() {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch()).count();
    }

    void run(const Host& host, const Step& step, const PauseHandler& on_pause) {
        ScaledClock clock;
        bool paused = false;
        std::optional<std::int64_t> next_due_ns = 0;
        std::int64_t rest_ns = 0;  // an unpaced source's rest below scale 1
        while (true) {
            const double scale = host.rate_scale();
            clock.advance(wall_now_ns(), scale);
            if ((scale <= 0.0) != paused) {
                paused = scale <= 0.0;
                if (on_pause) {
                    on_pause(paused);
                }
            }
            std::optional<std::int64_t> sleep_ns;  // nullopt = until woken
            if (next_due_ns && !paused) {
                sleep_ns = std::max(rest_ns, clock.wall_ns_until(*next_due_ns, scale).value_or(0));
                rest_ns = 0;
            }
            if (sleep_ns && *sleep_ns == 0) {
                if (stop_requested()) {
                    return;
                }
                const std::int64_t step_started_ns = wall_now_ns();
                next_due_ns = step(clock.schedule_ns());
                if (next_due_ns && *next_due_ns <= clock.schedule_ns() && scale < 1.0) {
                    rest_ns = static_cast<std::int64_t>(static_cast<double>(wall_now_ns() - step_started_ns) *
                                                        (1.0 / scale - 1.0));
                }
                continue;
            }
            if (sleep(sleep_ns)) {
                return;
            }
        }
    }

    // Sleeps up to `ns` (at most kMaxSleep; nullopt = kMaxSleep), returning early when woken.
    // Returns true when stop was requested.
    bool sleep(std::optional<std::int64_t> ns) {
        const auto timeout =
            std::min<std::chrono::nanoseconds>(std::chrono::nanoseconds(ns.value_or(kMaxSleep.count() * 1'000'000)),
                                               std::chrono::duration_cast<std::chrono::nanoseconds>(kMaxSleep));
        std::unique_lock lock(mutex_);
        const std::uint64_t wakeups_before = wakeups_;
        wake_.wait_for(lock, timeout, [&] { return stop_requested_ || wakeups_ != wakeups_before; });
        return stop_requested_;
    }

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_requested_ = false;  // guarded by mutex_
    std::uint64_t wakeups_ = 0;  // guarded by mutex_
    std::thread thread_;
};

}  // namespace mdp::sdk

#endif  // MDP_SDK_PACED_PRODUCER_HPP
