// The store queue's two bookkeeping races, each replayed deterministically: a probe holds one
// thread between two atomic reads while the test moves the queue on, then lets it finish.
//  - depth(): a reader held after reading `head` must not report more than the capacity
//    (nor raise a HARD level from a depth that never existed);
//  - claim(): a drop_newest producer held after reading `tail` must not refuse a push into a
//    queue that has room.

#include "pipeline/backpressure_controller.hpp"
#include "pipeline/store_queue.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

using mdp::config::OverflowPolicy;
using mdp::pipeline::BackpressureController;
using mdp::pipeline::Level;
using mdp::pipeline::PushResult;
using mdp::pipeline::StoreEvent;
using mdp::pipeline::StoreQueue;
using mdp::pipeline::StoreQueuePoint;
using mdp::pipeline::StoreQueueProbe;

namespace {

constexpr auto kHoldTimeout = std::chrono::seconds(10);

// Holds the first thread that reaches `point` until release(); every later pass (the test's
// own pushes and pops, the held thread's retries) goes straight through.
class HoldOnce final : public StoreQueueProbe {
   public:
    explicit HoldOnce(StoreQueuePoint point) : point_(point) {}

    void reached(StoreQueuePoint point) override {
        if (point != point_) {
            return;
        }
        std::unique_lock lock(mutex_);
        if (state_ != State::armed) {
            return;
        }
        state_ = State::holding;
        changed_.notify_all();
        changed_.wait(lock, [&] { return state_ == State::released; });
    }

    // [test thread] True once a thread is held there; false after kHoldTimeout.
    bool wait_until_held() {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, kHoldTimeout, [&] { return state_ == State::holding; });
    }

    void release() {
        std::lock_guard lock(mutex_);
        state_ = State::released;
        changed_.notify_all();
    }

   private:
    enum class State { armed, holding, released };
    const StoreQueuePoint point_;
    std::mutex mutex_;
    std::condition_variable changed_;
    State state_ = State::armed;
};

PushResult push_numbered(StoreQueue& queue, std::size_t count, std::uint64_t first) {
    return queue.push(count, [&](StoreEvent& slot, std::size_t index) {
        slot = StoreEvent{};
        slot.sequence = first + index;
    });
}

std::size_t pop_count(StoreQueue& queue, std::size_t count) {
    std::vector<StoreEvent> buffer(count);
    return queue.pop(buffer);
}

}  // namespace

TEST_CASE("depth read across a consumer pop never exceeds the capacity", "[queue][race]") {
    StoreQueue queue(1, OverflowPolicy::block);
    HoldOnce probe(StoreQueuePoint::depth_read_head);
    queue.set_probe(&probe);
    std::size_t seen_depth = 0;
    std::thread reader([&] { seen_depth = queue.depth(); });
    REQUIRE(probe.wait_until_held());  // the reader has read head = 0
    // Meanwhile one record goes through and another waits: head 1, tail 2.
    REQUIRE(push_numbered(queue, 1, 1).accepted == 1);
    REQUIRE(pop_count(queue, 1) == 1);
    REQUIRE(push_numbered(queue, 1, 2).accepted == 1);
    probe.release();
    reader.join();
    // A stale head with the fresh tail would say 2 of a capacity of 1.
    CHECK(seen_depth == 1);
}

TEST_CASE("a depth read across a consumer pop raises no HARD level the queue never reached", "[queue][race]") {
    StoreQueue queue(10, OverflowPolicy::block);
    BackpressureController controller(10, {6, 8}, "store_coordinator", [&] { return queue.depth(); });
    REQUIRE(push_numbered(queue, 5, 1).accepted == 5);
    HoldOnce probe(StoreQueuePoint::depth_read_head);
    queue.set_probe(&probe);
    Level level = Level::hard;
    std::thread observer([&] { level = controller.observe(queue.depth()); });
    REQUIRE(probe.wait_until_held());  // the observer has read head = 0
    // The consumer takes the 5, a producer adds 5: the depth stays 5 throughout (head 5, tail 10).
    REQUIRE(pop_count(queue, 5) == 5);
    REQUIRE(push_numbered(queue, 5, 6).accepted == 5);
    probe.release();
    observer.join();
    // Head 0 with tail 10 would be depth 10 >= the high watermark 8: a spurious HARD.
    CHECK(level == Level::ok);
    CHECK(controller.recent_events().empty());
}

TEST_CASE("drop_newest accepts a push that fits although other producers and the consumer passed its tail",
          "[queue][race]") {
    StoreQueue queue(2, OverflowPolicy::drop_newest);
    REQUIRE(push_numbered(queue, 1, 1).accepted == 1);
    REQUIRE(pop_count(queue, 1) == 1);  // empty: head = tail = 1
    HoldOnce probe(StoreQueuePoint::claim_read_tail);
    queue.set_probe(&probe);
    PushResult held{};
    std::thread producer([&] { held = push_numbered(queue, 1, 100); });
    REQUIRE(probe.wait_until_held());  // the producer has read tail = 1
    // Another producer pushes 2 and the consumer pops them: head = tail = 3, empty again.
    REQUIRE(push_numbered(queue, 2, 2).accepted == 2);
    REQUIRE(pop_count(queue, 2) == 2);
    probe.release();
    producer.join();
    // With the stale tail, tail - head wraps to a huge "used" count and the push is refused.
    CHECK(held.accepted == 1);
    CHECK_FALSE(held.refused_full);
    CHECK(queue.depth() == 1);
    std::vector<StoreEvent> buffer(2);
    REQUIRE(queue.pop(buffer) == 1);
    CHECK(buffer[0].sequence == 100);
}
