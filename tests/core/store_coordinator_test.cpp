// The store coordinator: group commit (an idle sink writes at once, what queues up during a
// write is the next batch, up to the sink's preferred size), batching by size and by time,
// retrying a failing sink without losing or reordering a batch, and draining on shutdown;
// pipelined sinks (several batches started before the first is confirmed).
// The batching rule's timing on made-up clocks: batching_rule_test.cpp.

#include "pipeline/store_coordinator.hpp"

#include <catch2/catch.hpp>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

using namespace mdp;
using pipeline::StoreEvent;

namespace {

// A real Sink implementation that keeps what it stores in memory, can be told to fail, and
// can be held inside write() (a gate) so a test decides when a write in flight ends.
class RecordingSink final : public sinks::Sink {
   public:
    explicit RecordingSink(std::size_t preferred_batch_size = 0) : preferred_batch_size_(preferred_batch_size) {}
    const std::string& name() const override { return name_; }
    const std::string& type() const override { return type_; }
    std::size_t preferred_batch_size() const override { return preferred_batch_size_; }
    void open(const sinks::SinkContext&) override {}
    void write(std::span<const StoreEvent> batch) override {
        std::unique_lock lock(mutex_);
        ++writes_entered_;
        gate_changed_.notify_all();
        gate_changed_.wait(lock, [&] { return gate_open_; });
        if (failures_left_ > 0) {
            --failures_left_;
            throw sinks::SinkError("deliberate failure");
        }
        batch_sizes_.push_back(batch.size());
        for (const auto& record : batch) {
            sequences_.push_back(record.sequence);
        }
    }
    void close() override { closed_ = true; }

    // Holds every write() until open_gate().
    void close_gate() {
        std::lock_guard lock(mutex_);
        gate_open_ = false;
    }
    void open_gate() {
        std::lock_guard lock(mutex_);
        gate_open_ = true;
        gate_changed_.notify_all();
    }
    // Waits until `count` writes have started (held at a closed gate or not); false after 10 s.
    bool wait_for_writes_entered(int count) {
        std::unique_lock lock(mutex_);
        return gate_changed_.wait_for(lock, std::chrono::seconds(10), [&] { return writes_entered_ >= count; });
    }

    void fail_next(int count) {
        std::lock_guard lock(mutex_);
        failures_left_ = count;
    }
    std::vector<std::size_t> batch_sizes() const {
        std::lock_guard lock(mutex_);
        return batch_sizes_;
    }
    std::vector<std::uint64_t> sequences() const {
        std::lock_guard lock(mutex_);
        return sequences_;
    }
    bool closed() const { return closed_; }

   private:
    std::string name_ = "memory";
    std::string type_ = "memory";
    const std::size_t preferred_batch_size_;
    mutable std::mutex mutex_;
    std::condition_variable gate_changed_;
    bool gate_open_ = true;
    int writes_entered_ = 0;
    int failures_left_ = 0;
    std::vector<std::size_t> batch_sizes_;
    std::vector<std::uint64_t> sequences_;
    std::atomic<bool> closed_{false};
};

// A pipelined sink (max_pending_writes() > 1) as the Sink contract describes one: start_write()
// keeps a batch as unconfirmed, finish_write() (held at a gate the test opens) stores the
// oldest, and a failure of either forgets every unconfirmed batch. Records what it stored and
// whether the coordinator ever broke the contract.
class PipelinedSink final : public sinks::Sink {
   public:
    explicit PipelinedSink(std::size_t max_pending) : max_pending_(max_pending) {}
    const std::string& name() const override { return name_; }
    const std::string& type() const override { return type_; }
    std::size_t max_pending_writes() const override { return max_pending_; }
    void open(const sinks::SinkContext&) override {}
    void close() override {}
    void write(std::span<const StoreEvent> batch) override {
        std::lock_guard lock(mutex_);
        contract_broken_ = contract_broken_ || !unconfirmed_.empty();
        ++writes_;
        if (broken_) {
            throw sinks::SinkError("deliberate write failure");
        }
        store(sequences_of(batch));
    }
    void start_write(std::span<const StoreEvent> batch) override {
        std::lock_guard lock(mutex_);
        contract_broken_ = contract_broken_ || unconfirmed_.size() >= max_pending_;
        if (broken_ || ++starts_ == failing_start_) {
            unconfirmed_.clear();
            throw sinks::SinkError("deliberate start failure");
        }
        unconfirmed_.push_back(sequences_of(batch));
        most_unconfirmed_ = std::max(most_unconfirmed_, unconfirmed_.size());
        changed_.notify_all();
    }
    void finish_write() override {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return gate_open_; });
        contract_broken_ = contract_broken_ || unconfirmed_.empty();
        if (broken_ || finish_failures_left_ > 0) {
            finish_failures_left_ -= finish_failures_left_ > 0 ? 1 : 0;
            unconfirmed_.clear();
            throw sinks::SinkError("deliberate finish failure");
        }
        if (!unconfirmed_.empty()) {
            store(unconfirmed_.front());
            unconfirmed_.pop_front();
        }
    }

    void set_gate(bool open) {
        std::lock_guard lock(mutex_);
        gate_open_ = open;
        changed_.notify_all();
    }
    // Waits until `count` batches are started and unconfirmed; false after 10 s.
    bool wait_for_unconfirmed(std::size_t count) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return unconfirmed_.size() >= count; });
    }
    // The `number`th start_write() from the sink's creation fails.
    void fail_start_number(int number) {
        std::lock_guard lock(mutex_);
        failing_start_ = number;
    }
    // Every call fails from now on.
    void break_sink() {
        std::lock_guard lock(mutex_);
        broken_ = true;
    }
    void fail_next_finish(int count) {
        std::lock_guard lock(mutex_);
        finish_failures_left_ = count;
    }
    std::vector<std::uint64_t> stored() const {
        std::lock_guard lock(mutex_);
        return stored_;
    }
    std::size_t most_unconfirmed() const {
        std::lock_guard lock(mutex_);
        return most_unconfirmed_;
    }
    int writes() const {
        std::lock_guard lock(mutex_);
        return writes_;
    }
    bool contract_broken() const {
        std::lock_guard lock(mutex_);
        return contract_broken_;
    }

   private:
    static std::vector<std::uint64_t> sequences_of(std::span<const StoreEvent> batch) {
        std::vector<std::uint64_t> sequences;
        for (const auto& record : batch) {
            sequences.push_back(record.sequence);
        }
        return sequences;
    }
    void store(const std::vector<std::uint64_t>& sequences) {
        stored_.insert(stored_.end(), sequences.begin(), sequences.end());
    }

    std::string name_ = "pipelined";
    std::string type_ = "pipelined";
    const std::size_t max_pending_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    bool gate_open_ = true;
    std::deque<std::vector<std::uint64_t>> unconfirmed_;
    std::size_t most_unconfirmed_ = 0;
    int starts_ = 0;
    int failing_start_ = 0;
    int finish_failures_left_ = 0;
    bool broken_ = false;
    int writes_ = 0;
    bool contract_broken_ = false;
    std::vector<std::uint64_t> stored_;
};

struct Pipeline {
    // `start`: false leaves the coordinator for the test to start (after filling the queue).
    // `pipelined`: a PipelinedSink taking that many batches unconfirmed, beside the
    // RecordingSink; 0: the RecordingSink alone.
    explicit Pipeline(const config::StoreConfig& store_config, std::size_t capacity = 1000,
                      std::size_t preferred_batch_size = 0, bool start = true, std::size_t pipelined = 0)
        : queue(capacity, config::OverflowPolicy::block),
          controller(capacity, pipeline::watermarks_for(capacity, 0.5, 0.8), "store_coordinator",
                     [this] { return queue.depth(); }) {
        auto owned = std::make_unique<RecordingSink>(preferred_batch_size);
        sink = owned.get();
        std::vector<std::unique_ptr<sinks::Sink>> sinks;
        sinks.push_back(std::move(owned));
        if (pipelined > 0) {
            auto owned_pipelined = std::make_unique<PipelinedSink>(pipelined);
            pipelined_sink = owned_pipelined.get();
            sinks.push_back(std::move(owned_pipelined));
        }
        coordinator = std::make_unique<pipeline::StoreCoordinator>(queue, controller, std::move(sinks), store_config);
        coordinator->open_sinks({"run", {"p"}});
        if (start) {
            coordinator->start();
        }
    }
    ~Pipeline() {
        if (pipelined_sink != nullptr) {
            pipelined_sink->set_gate(true);  // a test that failed while holding it must still end
        }
    }
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    void push(std::size_t count) {
        queue.push(count, [&](StoreEvent& slot, std::size_t) {
            slot = StoreEvent{};
            slot.sequence = ++next_sequence;
            slot.event.type = MDP_EVENT_TRADE;
        });
    }
    std::uint64_t stop() {
        queue.close();
        return coordinator->drain_and_stop();
    }

    pipeline::StoreQueue queue;
    pipeline::BackpressureController controller;
    RecordingSink* sink = nullptr;
    PipelinedSink* pipelined_sink = nullptr;
    std::unique_ptr<pipeline::StoreCoordinator> coordinator;
    std::uint64_t next_sequence = 0;
};

config::StoreConfig store_config(std::size_t batch_size, std::int64_t flush_interval_ms,
                                 std::int64_t coalesce_wait_us = 0) {
    config::StoreConfig config;
    config.batch_size = batch_size;
    config.flush_interval_ms = flush_interval_ms;
    config.coalesce_wait_us = coalesce_wait_us;
    config.retry_initial_backoff_ms = 5;
    config.retry_max_backoff_ms = 20;
    config.shutdown_drain_timeout_ms = 2000;
    return config;
}

// 1, 2, 3, ...: every event once, in the order it was queued.
bool in_publish_order(const std::vector<std::uint64_t>& sequences) {
    for (std::size_t index = 0; index < sequences.size(); ++index) {
        if (sequences[index] != index + 1) {
            return false;
        }
    }
    return true;
}

bool wait_until(const std::function<bool()>& condition) {
    for (int attempt = 0; attempt < 400; ++attempt) {
        if (condition()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return condition();
}

}  // namespace

TEST_CASE("an idle coordinator writes a single event at once, not after the flush interval", "[coordinator]") {
    // A flush interval far longer than the test: only group commit can write the event.
    Pipeline pipeline(store_config(500, 600000));
    pipeline.push(1);
    REQUIRE(wait_until([&] { return pipeline.sink->sequences().size() == 1; }));
    CHECK(pipeline.sink->batch_sizes() == std::vector<std::size_t>{1});
    CHECK(pipeline.stop() == 0);
}

TEST_CASE("events queued during a write form the next batches, up to the sink's preferred size", "[coordinator]") {
    SECTION("a sink that prefers 300 per write, batch_size 100") {
        Pipeline pipeline(store_config(100, 600000), 2000, 300);
        CHECK(pipeline.coordinator->batching_limits().max_batch_size == 300);
        pipeline.sink->close_gate();
        pipeline.push(1);
        REQUIRE(pipeline.sink->wait_for_writes_entered(1));  // that one event is in flight
        pipeline.push(999);
        pipeline.sink->open_gate();
        REQUIRE(wait_until([&] { return pipeline.sink->sequences().size() == 1000; }));
        CHECK(pipeline.sink->batch_sizes() == std::vector<std::size_t>{1, 300, 300, 300, 99});
        CHECK(pipeline.stop() == 0);
    }
    SECTION("a sink without a preference gets batch_size") {
        Pipeline pipeline(store_config(100, 600000), 2000);
        CHECK(pipeline.coordinator->batching_limits().max_batch_size == 100);
        pipeline.sink->close_gate();
        pipeline.push(1);
        REQUIRE(pipeline.sink->wait_for_writes_entered(1));
        pipeline.push(250);
        pipeline.sink->open_gate();
        REQUIRE(wait_until([&] { return pipeline.sink->sequences().size() == 251; }));
        CHECK(pipeline.sink->batch_sizes() == std::vector<std::size_t>{1, 100, 100, 50});
        CHECK(pipeline.stop() == 0);
    }
}

TEST_CASE("a sink's preferred batch size is capped at the queue's capacity", "[coordinator]") {
    Pipeline pipeline(store_config(100, 250), 1000, 5000);
    CHECK(pipeline.coordinator->batching_limits().max_batch_size == 1000);
    CHECK(pipeline.stop() == 0);
}

TEST_CASE("coordinator writes full batches as soon as batch_size events are queued", "[coordinator]") {
    // Coalescing wait = flush interval, far longer than the test: only the size trigger can write.
    Pipeline pipeline(store_config(100, 600000, 600'000'000));
    pipeline.push(350);
    REQUIRE(wait_until([&] { return pipeline.sink->sequences().size() >= 300; }));
    const auto sizes = pipeline.sink->batch_sizes();
    REQUIRE(sizes.size() >= 3);
    CHECK(sizes[0] == 100);
    CHECK(sizes[1] == 100);
    CHECK(sizes[2] == 100);
    CHECK(pipeline.stop() == 0);
    CHECK(pipeline.sink->sequences().size() == 350);  // the remainder is drained on stop
}

TEST_CASE("coordinator flushes a partial batch when the coalescing wait passes", "[coordinator]") {
    Pipeline pipeline(store_config(500, 50, 50'000));
    pipeline.push(7);
    REQUIRE(wait_until([&] { return pipeline.sink->sequences().size() == 7; }));
    CHECK(pipeline.sink->batch_sizes().front() == 7);
    pipeline.stop();
}

TEST_CASE("at the HARD watermark the coordinator writes at once, whatever the coalescing wait", "[coordinator]") {
    // batch_size 900 above the HARD watermark (800 of 1000) and a coalescing wait far longer
    // than the test: providers pause at 800, so only waking and writing at HARD can store
    // these events. Queued before the coordinator starts, so it sees all 850 at once.
    Pipeline pipeline(store_config(900, 600000, 600'000'000), 1000, 0, false);
    pipeline.push(850);
    pipeline.coordinator->start();
    REQUIRE(wait_until([&] { return pipeline.sink->sequences().size() == 850; }));
    CHECK(pipeline.sink->batch_sizes() == std::vector<std::size_t>{850});
    CHECK(pipeline.stop() == 0);
}

TEST_CASE("with a backlog (SOFT) the coordinator writes at once, whatever the coalescing wait", "[coordinator]") {
    // 600 queued of 1000: above the low watermark (500), below batch_size (700) and HARD (800).
    Pipeline pipeline(store_config(700, 600000, 600'000'000), 1000, 0, false);
    pipeline.push(600);
    REQUIRE(pipeline.controller.observe(pipeline.queue.depth()) == pipeline::Level::soft);
    pipeline.coordinator->start();
    REQUIRE(wait_until([&] { return pipeline.sink->sequences().size() == 600; }));
    CHECK(pipeline.sink->batch_sizes() == std::vector<std::size_t>{600});
    CHECK(pipeline.stop() == 0);
}

TEST_CASE("a failing sink is retried with the same batch: nothing lost, order kept", "[coordinator]") {
    Pipeline pipeline(store_config(50, 20));
    pipeline.sink->fail_next(5);
    pipeline.push(120);
    REQUIRE(wait_until([&] { return pipeline.sink->sequences().size() == 120; }));
    const auto sequences = pipeline.sink->sequences();
    CHECK(in_publish_order(sequences));
    const auto snapshots = pipeline.coordinator->sink_snapshots();
    CHECK(snapshots[0].write_errors == 5);
    CHECK(snapshots[0].retries == 5);
    CHECK(snapshots[0].events_stored == 120);
    CHECK(snapshots[0].healthy);
    CHECK(pipeline.stop() == 0);
    CHECK(pipeline.sink->closed());
}

TEST_CASE("shutdown gives up on a sink that never recovers and reports what was not stored", "[coordinator]") {
    auto config = store_config(10, 20);
    config.shutdown_drain_timeout_ms = 100;
    Pipeline pipeline(config);
    pipeline.sink->fail_next(1'000'000);
    pipeline.push(35);
    CHECK(pipeline.stop() == 35);
    const auto snapshots = pipeline.coordinator->sink_snapshots();
    CHECK_FALSE(snapshots[0].healthy);
    CHECK(snapshots[0].last_error == "deliberate failure");
}

TEST_CASE("stored events feed the latency histogram", "[coordinator]") {
    Pipeline pipeline(store_config(10, 20));
    pipeline.push(25);
    REQUIRE(wait_until([&] { return pipeline.sink->sequences().size() == 25; }));
    pipeline.stop();
    CHECK(pipeline.coordinator->latency_snapshot().count == 25);
}

// In these tests the queue is filled before the coordinator starts, so it starts batches
// back to back (with nothing queued it waits for the oldest batch's confirmation instead).
TEST_CASE("a pipelined sink gets further batches before the first is confirmed, never more than it takes",
          "[coordinator][pipelined]") {
    Pipeline pipeline(store_config(10, 20), 1000, 0, false, 3);
    PipelinedSink& sink = *pipeline.pipelined_sink;
    sink.set_gate(false);
    pipeline.push(60);
    pipeline.coordinator->start();
    REQUIRE(sink.wait_for_unconfirmed(3));
    // Stored by the other sink, but settled only when every sink confirmed: nothing yet.
    REQUIRE(wait_until([&] { return pipeline.sink->sequences().size() == 30; }));
    CHECK(pipeline.coordinator->latency_snapshot().count == 0);
    CHECK(sink.stored().empty());
    sink.set_gate(true);
    REQUIRE(wait_until([&] { return sink.stored().size() == 60; }));
    CHECK(pipeline.stop() == 0);
    const auto stored = sink.stored();
    CHECK(in_publish_order(stored));
    CHECK(sink.most_unconfirmed() == 3);
    CHECK(sink.writes() == 0);
    CHECK_FALSE(sink.contract_broken());
    CHECK(pipeline.coordinator->latency_snapshot().count == 60);
    CHECK(pipeline.coordinator->sink_snapshots()[1].events_stored == 60);
}

TEST_CASE("a pipelined sink that fails to confirm gets its unconfirmed batches again, in order, with write()",
          "[coordinator][pipelined]") {
    Pipeline pipeline(store_config(10, 20), 1000, 0, false, 4);
    PipelinedSink& sink = *pipeline.pipelined_sink;
    sink.set_gate(false);
    pipeline.push(30);
    pipeline.coordinator->start();
    REQUIRE(sink.wait_for_unconfirmed(3));
    sink.fail_next_finish(1);
    sink.set_gate(true);
    REQUIRE(wait_until([&] { return sink.stored().size() == 30; }));
    pipeline.push(25);
    REQUIRE(wait_until([&] { return sink.stored().size() == 55; }));
    CHECK(pipeline.stop() == 0);
    const auto stored = sink.stored();
    REQUIRE(stored.size() == 55);
    CHECK(in_publish_order(stored));
    CHECK(sink.writes() == 3);  // the three forgotten batches, written again
    CHECK_FALSE(sink.contract_broken());
    const auto snapshot = pipeline.coordinator->sink_snapshots()[1];
    CHECK(snapshot.write_errors == 1);
    CHECK(snapshot.events_stored == 55);
    CHECK(snapshot.healthy);
    CHECK(pipeline.coordinator->latency_snapshot().count == 55);
}

TEST_CASE("a pipelined sink that refuses a batch gets it and the unconfirmed ones before it again",
          "[coordinator][pipelined]") {
    Pipeline pipeline(store_config(10, 20), 1000, 0, false, 4);
    PipelinedSink& sink = *pipeline.pipelined_sink;
    sink.set_gate(false);
    sink.fail_start_number(3);
    pipeline.push(30);
    pipeline.coordinator->start();
    REQUIRE(wait_until([&] { return sink.writes() == 3; }));  // both unconfirmed and the refused one
    CHECK(sink.stored().size() == 30);
    sink.set_gate(true);
    pipeline.push(15);
    REQUIRE(wait_until([&] { return sink.stored().size() == 45; }));
    CHECK(pipeline.stop() == 0);
    const auto stored = sink.stored();
    CHECK(in_publish_order(stored));
    CHECK_FALSE(sink.contract_broken());
    CHECK(pipeline.coordinator->sink_snapshots()[1].write_errors == 1);
    CHECK(pipeline.coordinator->latency_snapshot().count == 45);
}

TEST_CASE("shutdown gives up on the batches a pipelined sink never confirms and reports them",
          "[coordinator][pipelined]") {
    auto config = store_config(10, 20);
    config.shutdown_drain_timeout_ms = 100;
    Pipeline pipeline(config, 1000, 0, false, 4);
    PipelinedSink& sink = *pipeline.pipelined_sink;
    sink.break_sink();
    pipeline.push(35);
    pipeline.coordinator->start();
    CHECK(pipeline.stop() == 35);
    CHECK(pipeline.coordinator->latency_snapshot().count == 0);
    CHECK(sink.stored().empty());
    CHECK_FALSE(sink.contract_broken());
}
