// The bar timer thread (pipeline/bar_timer.hpp): it calls close_due with the wall clock again
// and again without any tick, and stop() ends it.

#include "child_process.hpp"
#include "common/clock.hpp"
#include "pipeline/bar_timer.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>

namespace mdp {

TEST_CASE("the bar timer calls close_due with the wall clock until it is stopped", "[bars][unit]") {
    std::atomic<int> calls{0};
    std::atomic<std::int64_t> last_now_ns{0};
    const std::int64_t before_ns = common::utc_now_ns();
    pipeline::BarTimer timer([&](std::int64_t now_ns) {
        last_now_ns.store(now_ns);
        calls.fetch_add(1);
        return now_ns;  // "due now": the timer must come back without a tick
    });
    timer.start();
    CHECK(test::eventually([&] { return calls.load() >= 3; }, std::chrono::seconds(30)));
    timer.stop();
    const int after_stop = calls.load();
    CHECK(last_now_ns.load() >= before_ns);
    timer.stop();  // a second stop is a no-op
    CHECK(calls.load() == after_stop);  // joined: no call after stop() returned
}

}  // namespace mdp
