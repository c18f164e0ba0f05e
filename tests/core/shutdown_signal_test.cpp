// The control thread's wait (app/shutdown_signal): a wake() (a control or reload request), a
// SIGHUP and a stop request each end it without waiting for the timeout. The waits here use a
// timeout of an hour: a wake that did not work hangs the case, which ctest fails.

#include "app/shutdown_signal.hpp"

#include <catch2/catch.hpp>

#include <pthread.h>

#include <chrono>
#include <csignal>
#include <thread>

using namespace std::chrono_literals;

namespace {

constexpr std::chrono::milliseconds kNever = 1h;

}  // namespace

TEST_CASE("a wake ends the control thread's wait without asking it to stop", "[control][signals]") {
    mdp::app::ShutdownSignal signals;
    SECTION("woken before it waits") {
        signals.wake();
        CHECK_FALSE(signals.wait_for(kNever));
    }
    SECTION("woken from another thread") {
        std::thread requester([&] { signals.wake(); });
        CHECK_FALSE(signals.wait_for(kNever));
        requester.join();
    }
    SECTION("several wakes are one") {
        signals.wake();
        signals.wake();
        CHECK_FALSE(signals.wait_for(kNever));
        CHECK_FALSE(signals.wait_for(0ms));  // nothing left: the timeout ends it
    }
    CHECK_FALSE(signals.take_reload_signal());
    CHECK(signals.received_signal() == 0);
}

TEST_CASE("a stop request and a stop signal end the wait with true", "[control][signals]") {
    mdp::app::ShutdownSignal signals;
    SECTION("request() from another thread") {
        std::thread stopper([&] { signals.request(); });
        CHECK(signals.wait_for(kNever));
        stopper.join();
        CHECK(signals.received_signal() == 0);
    }
    SECTION("SIGTERM") {
        // Sent to this thread, which blocks it since the ShutdownSignal exists: it stays pending
        // for the signalfd and terminates nothing.
        REQUIRE(pthread_kill(pthread_self(), SIGTERM) == 0);  // NOLINT(bugprone-bad-signal-to-kill-thread)
        CHECK(signals.wait_for(kNever));
        CHECK(signals.received_signal() == SIGTERM);
    }
}

TEST_CASE("a SIGHUP ends the wait with a reload, not a stop", "[control][signals]") {
    mdp::app::ShutdownSignal signals;
    REQUIRE(pthread_kill(pthread_self(), SIGHUP) == 0);
    CHECK_FALSE(signals.wait_for(kNever));
    CHECK(signals.take_reload_signal());
    CHECK_FALSE(signals.take_reload_signal());
}
