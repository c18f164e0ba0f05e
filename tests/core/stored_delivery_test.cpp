// The delivery extensions of the plugin ABI, end to end inside one process: a real plugin
// (tests/core/plugins/origin_relay_provider.cpp) publishing through a ProviderInstance into
// the store queue, the store coordinator writing real sinks.
//   - publish with identity (mdp.host.publish-identified/1): the sinks store the origin's
//     provider, run id and seq; a redelivery is a no-op; an invalid identity is refused whole;
//   - stored acknowledgements (mdp.host.stored-acks/1): ranges of publish sequences, in order,
//     only after every sink wrote, dropped records reported as dropped.
// The coordinator starts after the plugin published where a test needs one exact batch.
// The same cases run again as `isolated/...` with the plugin in mdp-provider-runner
// (docs/isolation.md): the extensions cross the event ring and expectations stay the same.

#include "pipeline/backpressure_controller.hpp"
#include "pipeline/event_origins.hpp"
#include "pipeline/store_coordinator.hpp"
#include "pipeline/stored_acks.hpp"
#include "plugins/plugin_library.hpp"
#include "plugins/provider_instance.hpp"
#include "sinks/sqlite/sqlite_sink.hpp"
#include "host_runner.hpp"
#include "scoped_environment.hpp"
#include "sqlite_reader.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

using namespace mdp;
using pipeline::StoreEvent;

namespace {

const std::string kRelayPlugin = std::string(MDP_CORE_TEST_PLUGIN_DIR) + "/mdp_origin_relay.so";

// Records what it stores (publish sequences in write order); write() waits while its gate
// is closed, so a test holds a batch inside one sink.
class GatedSink final : public sinks::Sink {
   public:
    explicit GatedSink(std::string name) : name_(std::move(name)) {}
    const std::string& name() const override { return name_; }
    const std::string& type() const override { return name_; }
    void open(const sinks::SinkContext&) override {}
    void close() override {}
    void write(std::span<const StoreEvent> batch) override {
        std::unique_lock lock(mutex_);
        writing_ = true;
        changed_.notify_all();
        changed_.wait(lock, [&] { return open_; });
        for (const StoreEvent& record : batch) {
            stored_.push_back(record.sequence);
        }
        writing_ = false;
    }
    void set_gate(bool open) {
        std::lock_guard lock(mutex_);
        open_ = open;
        changed_.notify_all();
    }
    // True once a write() is held at the closed gate; false after 10 s.
    bool wait_until_held() {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return writing_ && !open_; });
    }
    std::vector<std::uint64_t> stored() const {
        std::lock_guard lock(mutex_);
        return stored_;
    }

   private:
    std::string name_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    bool open_ = true;
    bool writing_ = false;
    std::vector<std::uint64_t> stored_;
};

config::StoreConfig store_config() {
    config::StoreConfig config;
    config.batch_size = 100;
    config.flush_interval_ms = 20;
    config.retry_initial_backoff_ms = 5;
    config.retry_max_backoff_ms = 20;
    config.shutdown_drain_timeout_ms = 2000;
    return config;
}

// The host's pipeline wired as HostApplication wires it, with one "relay" provider.
struct RelayHost {
    RelayHost(std::vector<std::unique_ptr<sinks::Sink>> sinks, config::OverflowPolicy policy, std::size_t capacity)
        : queue(capacity, policy), controller(capacity, pipeline::watermarks_for(capacity, 0.5, 0.8),
                                              "store_coordinator", [this] { return queue.depth(); }),
          coordinator(queue, controller, std::move(sinks), store_config()) {
        queue.set_eviction_observer(
            [this](const StoreEvent& evicted) { acks.settle_one(evicted, pipeline::Settlement::dropped); });
        coordinator.set_stored_acks(&acks);
        coordinator.open_sinks({"host-run", {"relay"}, origins});
    }
    ~RelayHost() {
        relay.reset();  // stopped and destroyed before the pipeline goes
        queue.close();
        coordinator.drain_and_stop();
    }
    RelayHost(const RelayHost&) = delete;
    RelayHost& operator=(const RelayHost&) = delete;

    // Creates and starts the relay with `calls` (see the plugin); its start() publishes them.
    void start_relay(const nlohmann::json& calls, bool settle_before_stop = false) {
        config::ProviderConfig provider;
        provider.name = "relay";
        provider.plugin = "origin_relay";
        provider.config.value = {{"calls", calls}, {"settle_before_stop", settle_before_stop}};
        // The `isolated/` reruns run the plugin in mdp-provider-runner: it must not see a difference.
        if (test::provider_isolation_under_test() == "process") {
            provider.isolation = config::Isolation::process;
            runner_path.emplace(std::map<std::string, std::string>{{"MDP_PROVIDER_RUNNER", MDP_RUNNER_BINARY}});
        }
        relay = std::make_unique<plugins::ProviderInstance>(
            0, provider, plugins::PublishTarget{&queue, &controller, &acks, &origins});
        relay->attach(plugins::PluginLibrary::load(kRelayPlugin, {}));
        std::string error;
        REQUIRE(relay->create(error));
        REQUIRE(relay->start(error));
    }
    [[nodiscard]] std::string detail() const { return relay->snapshot().detail; }
    // Waits until the relay's detail is `expected`; returns the last detail seen.
    std::string wait_for_detail(const std::string& expected) const {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        std::string seen = detail();
        while (seen != expected && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            seen = detail();
        }
        return seen;
    }
    void drain() {
        relay->stop();
        queue.close();
        coordinator.drain_and_stop();
    }

    pipeline::StoredAcks acks;
    pipeline::EventOrigins origins;
    pipeline::StoreQueue queue;
    pipeline::BackpressureController controller;
    pipeline::StoreCoordinator coordinator;
    std::optional<test::ScopedEnvironment> runner_path;  // where an isolated relay's runner is
    std::unique_ptr<plugins::ProviderInstance> relay;
};

std::vector<std::unique_ptr<sinks::Sink>> sqlite_sink(const std::filesystem::path& path) {
    sinks::SqliteSinkOptions options;
    options.path = path;
    std::vector<std::unique_ptr<sinks::Sink>> sinks;
    sinks.push_back(std::make_unique<sinks::SqliteSink>("sqlite", options));
    return sinks;
}

nlohmann::json identified(std::uint32_t count, const std::string& provider, const std::string& run_id,
                          std::uint64_t first_origin_seq) {
    return {{"count", count},
            {"origin_provider", provider},
            {"origin_run_id", run_id},
            {"first_origin_seq", first_origin_seq}};
}

nlohmann::json own(std::uint32_t count) { return {{"count", count}}; }

}  // namespace

TEST_CASE("events published with an identity are stored in SQLite with the origin's values, a redelivery is a no-op",
          "[stored-delivery][sqlite]") {
    test::TempDir dir;
    const auto database = dir.path() / "relay.sqlite";
    RelayHost host(sqlite_sink(database), config::OverflowPolicy::block, 1000);
    // The same three events twice (a redelivery), then two of the relay's own.
    host.start_relay(nlohmann::json::array(
        {identified(3, "ingest-a", "run-1", 41), identified(3, "ingest-a", "run-1", 41), own(2)}));
    host.coordinator.start();
    CHECK(host.wait_for_detail("published 1+3/3 4+3/3 7+2/2 settled S1-8") ==
          "published 1+3/3 4+3/3 7+2/2 settled S1-8");
    host.drain();

    test::SqliteReader reader(database);
    CHECK(reader.scalar("SELECT count(*) FROM quotes") == 5);
    CHECK(reader.rows("SELECT provider, run_id, seq FROM quotes ORDER BY provider, seq") ==
          std::vector<std::vector<std::string>>{{"ingest-a", "run-1", "41"},
                                                {"ingest-a", "run-1", "42"},
                                                {"ingest-a", "run-1", "43"},
                                                {"relay", "host-run", "7"},
                                                {"relay", "host-run", "8"}});
}

TEST_CASE("an invalid identity is refused whole, counted as dropped with reason invalid, and takes no sequence",
          "[stored-delivery][sqlite]") {
    test::TempDir dir;
    const auto database = dir.path() / "relay.sqlite";
    RelayHost host(sqlite_sink(database), config::OverflowPolicy::block, 1000);
    host.start_relay(nlohmann::json::array({
        identified(2, "", "run-1", 1),  // empty origin provider
        identified(2, "ingest-a", "", 1),  // empty run id
        identified(1, "ingest-a", "run-1", 0),  // seq 0
        identified(1, "ingest-a", "run-1", 1ULL << 63U),  // beyond what a sink stores (INT64_MAX)
        identified(2, "tab\there", "run-1", 1),  // a control character
        identified(1, std::string(256, 'p'), "run-1", 1),  // longer than MDP_ORIGIN_TEXT_MAX
        identified(1, "ingest-a", "run-1", 5),  // valid
    }));
    host.coordinator.start();
    const std::string expected = "published 0+2/0! 0+2/0! 0+1/0! 0+1/0! 0+2/0! 0+1/0! 1+1/1 settled S1-1";
    CHECK(host.wait_for_detail(expected) == expected);
    CHECK(host.relay->dropped(pipeline::DropReason::invalid) == 9);
    host.drain();

    test::SqliteReader reader(database);
    CHECK(reader.rows("SELECT provider, run_id, seq FROM quotes") ==
          std::vector<std::vector<std::string>>{{"ingest-a", "run-1", "5"}});
}

TEST_CASE("stored acknowledgements come only after every sink wrote, in order, covering exactly what was published",
          "[stored-delivery]") {
    auto fast_owned = std::make_unique<GatedSink>("fast");
    auto stalled_owned = std::make_unique<GatedSink>("stalled");
    GatedSink& fast = *fast_owned;
    GatedSink& stalled = *stalled_owned;
    stalled.set_gate(false);
    std::vector<std::unique_ptr<sinks::Sink>> sinks;
    sinks.push_back(std::move(fast_owned));
    sinks.push_back(std::move(stalled_owned));
    RelayHost host(std::move(sinks), config::OverflowPolicy::block, 1000);
    host.coordinator.start();
    host.start_relay(nlohmann::json::array({own(3), identified(2, "ingest-a", "run-1", 7), own(4)}));

    // The first batch is written by the first sink and held inside the second: nothing settled.
    REQUIRE(stalled.wait_until_held());
    CHECK_FALSE(fast.stored().empty());
    CHECK(host.detail() == "published 1+3/3 4+2/2 6+4/4 settled");

    stalled.set_gate(true);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (host.detail().find("-9") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    // However the batches fell, the ranges are contiguous from 1 to 9 and all stored.
    const std::string detail = host.detail();
    const std::string prefix = "published 1+3/3 4+2/2 6+4/4 settled";
    REQUIRE(detail.rfind(prefix, 0) == 0);
    std::istringstream ranges(detail.substr(prefix.size()));
    std::uint64_t next = 1;
    std::string range;
    while (ranges >> range) {
        INFO(detail);
        REQUIRE(range.front() == 'S');
        const auto dash = range.find('-');
        CHECK(std::stoull(range.substr(1, dash - 1)) == next);
        next = std::stoull(range.substr(dash + 1)) + 1;
    }
    CHECK(next == 10);
    CHECK(stalled.stored() == std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9});
}

TEST_CASE("records refused at publish or evicted later settle as dropped, never as stored", "[stored-delivery]") {
    struct Case {
        config::OverflowPolicy policy;
        std::string expected;
        std::uint64_t refused_at_publish;
    };
    // A queue of 4 and one call of 6 before the coordinator runs: drop_newest refuses the
    // call's tail, drop_oldest evicts the queue's head.
    // Isolated, the call's publish result tells what the runner's ring took (all 6); the
    // host's queue refuses the tail when it drains the ring, which settles the same way.
    const bool isolated = test::provider_isolation_under_test() == "process";
    const auto [policy, expected, refused_at_publish] = GENERATE_COPY(values<Case>({
        {config::OverflowPolicy::drop_newest,
         isolated ? "published 1+6/6 settled S1-4 D5-6" : "published 1+6/4 settled S1-4 D5-6", 2},
        {config::OverflowPolicy::drop_oldest, "published 1+6/6 settled D1-2 S3-6", 0},
    }));
    std::vector<std::unique_ptr<sinks::Sink>> sinks;
    sinks.push_back(std::make_unique<GatedSink>("memory"));
    RelayHost host(std::move(sinks), policy, 4);
    host.start_relay(nlohmann::json::array({own(6)}));
    host.coordinator.start();
    CHECK(host.wait_for_detail(expected) == expected);
    CHECK(host.relay->dropped(pipeline::DropReason::queue_full_newest) == refused_at_publish);
}

TEST_CASE("acknowledgements still reach a provider waiting for them in its stop()", "[stored-delivery]") {
    const auto ring = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(100);
    struct DefaultLoggerRestore {
        std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
        ~DefaultLoggerRestore() { spdlog::set_default_logger(previous); }
    } restore;
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("stored-delivery-test", ring));
    const auto logged = [&](const std::string& text) {
        const auto lines = ring->last_formatted();
        return std::any_of(lines.begin(), lines.end(),
                           [&](const std::string& line) { return line.find(text) != std::string::npos; });
    };

    auto owned = std::make_unique<GatedSink>("stalled");
    GatedSink& stalled = *owned;
    stalled.set_gate(false);
    std::vector<std::unique_ptr<sinks::Sink>> sinks;
    sinks.push_back(std::move(owned));
    RelayHost host(std::move(sinks), config::OverflowPolicy::block, 1000);
    host.coordinator.start();
    host.start_relay(nlohmann::json::array({own(3)}), true);
    REQUIRE(stalled.wait_until_held());

    std::thread stopping([&] { host.relay->stop(); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!logged("stop: waiting") && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(logged("stop: waiting"));
    stalled.set_gate(true);  // only now can the batch be stored
    stopping.join();
    CHECK(logged("stop: settled through 3 of 3"));
    CHECK(host.relay->state() == plugins::ProviderState::stopped);
}

TEST_CASE("a plugin using both delivery extensions needs no newer ABI minor: it loads on a 1.0 host",
          "[stored-delivery][abi]") {
    const auto library = plugins::PluginLibrary::load(kRelayPlugin, {}, {1, 0, 0});
    CHECK(library->info().abi_version.minor == 0);
    CHECK(library->info().id == "origin_relay");
}
