// The worker that runs provider actions off the io thread: in order, bounded, stoppable.
#include "http/background_worker.hpp"

#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

TEST_CASE("tasks run in order on one thread and a full queue refuses more", "[http][control]") {
    std::mutex mutex;
    std::condition_variable changed;
    bool release = false;
    std::vector<int> ran;
    mdp::http::BackgroundWorker worker(2);

    REQUIRE(worker.submit([&] {
        std::unique_lock lock(mutex);
        ran.push_back(0);
        changed.notify_all();
        changed.wait(lock, [&] { return release; });
    }));
    {
        std::unique_lock lock(mutex);
        REQUIRE(changed.wait_for(lock, std::chrono::seconds(10), [&] { return ran.size() == 1; }));
    }
    // One running, two queued: the queue is full.
    const auto record = [&](int task) {
        return [&, task] {
            const std::lock_guard lock(mutex);
            ran.push_back(task);
            changed.notify_all();
        };
    };
    CHECK(worker.submit(record(1)));
    CHECK(worker.submit(record(2)));
    CHECK_FALSE(worker.submit(record(3)));
    {
        const std::lock_guard lock(mutex);
        release = true;
    }
    changed.notify_all();
    {
        std::unique_lock lock(mutex);
        REQUIRE(changed.wait_for(lock, std::chrono::seconds(10), [&] { return ran.size() == 3; }));
    }
    worker.stop();
    CHECK(ran == std::vector<int>{0, 1, 2});
    CHECK_FALSE(worker.submit([] {}));  // stopped
}

TEST_CASE("stop drops queued tasks, waits for the running one, and survives a throwing task", "[http][control]") {
    std::mutex mutex;
    std::condition_variable changed;
    bool started = false;
    bool release = false;
    bool queued_ran = false;
    mdp::http::BackgroundWorker worker(4);
    REQUIRE(worker.submit([] { throw std::runtime_error("boom"); }));
    REQUIRE(worker.submit([&] {
        std::unique_lock lock(mutex);
        started = true;
        changed.notify_all();
        changed.wait(lock, [&] { return release; });
    }));
    {
        std::unique_lock lock(mutex);
        REQUIRE(changed.wait_for(lock, std::chrono::seconds(10), [&] { return started; }));
    }
    REQUIRE(worker.submit([&] { queued_ran = true; }));
    std::thread releaser([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const std::lock_guard lock(mutex);
        release = true;
        changed.notify_all();
    });
    worker.stop();  // returns once the running task finished
    releaser.join();
    CHECK_FALSE(queued_ran);
}
