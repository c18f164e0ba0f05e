// The nats provider's ack ledger (plugins/nats/ack_ledger.hpp) under its three real threads
// at once — the fetching thread recording messages, the host's store thread settling their
// sequences, the acknowledging thread taking what is done — so ThreadSanitizer (this file is
// in the TSan step's mdp_core_tests) sees every access pattern the provider uses.
#include "ack_ledger.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

using mdp::nats_provider::AckLedger;
using mdp::nats_provider::Settlement;

TEST_CASE("ack ledger: recording, settling and taking on three threads acknowledges every message once, in order",
          "[core][concurrency][nats]") {
    constexpr int kMessages = 20000;
    constexpr std::uint64_t kEventsPerMessage = 7;
    constexpr std::uint64_t kDroppedEvery = 97;
    AckLedger<int> ledger;
    std::atomic<std::uint64_t> recorded_through{0};  // publish sequences recorded so far
    std::thread fetching([&] {
        for (int message = 0; message < kMessages; ++message) {
            const std::uint64_t first = static_cast<std::uint64_t>(message) * kEventsPerMessage + 1;
            ledger.record(message, first, first + kEventsPerMessage - 1);
            recorded_through.store(first + kEventsPerMessage - 1, std::memory_order_release);
        }
    });
    // The 4th record of every 97th message is dropped; the rest is stored.
    const auto is_dropped = [&](std::uint64_t sequence) {
        return ((sequence - 1) / kEventsPerMessage) % kDroppedEvery == 0 && (sequence - 1) % kEventsPerMessage == 3;
    };
    std::thread storing([&] {  // settles in order, in ranges that cut across messages
        std::uint64_t settled = 0;
        const std::uint64_t last = static_cast<std::uint64_t>(kMessages) * kEventsPerMessage;
        while (settled < last) {
            const std::uint64_t available = recorded_through.load(std::memory_order_acquire);
            if (available == settled) {
                std::this_thread::yield();
                continue;
            }
            if (is_dropped(settled + 1)) {
                ledger.settle(settled + 1, settled + 1, true);
                ++settled;
                continue;
            }
            std::uint64_t end = settled + 1;
            while (end < std::min(available, settled + 11) && !is_dropped(end + 1)) {
                ++end;
            }
            ledger.settle(settled + 1, end, false);
            settled = end;
        }
    });
    std::vector<std::pair<int, Settlement>> taken;
    // A ledger that loses or withholds a message fails here, at a deadline, not as a hang.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (static_cast<int>(taken.size()) < kMessages && std::chrono::steady_clock::now() < deadline) {
        ledger.wait_for_change(std::chrono::milliseconds(50));
        for (const auto& done : ledger.take_done()) {
            taken.emplace_back(done.message, done.settlement);
        }
    }
    fetching.join();
    storing.join();
    REQUIRE(taken.size() == static_cast<std::size_t>(kMessages));
    for (int message = 0; message < kMessages; ++message) {
        INFO("message " << message);
        REQUIRE(taken[static_cast<std::size_t>(message)].first == message);
        CHECK(taken[static_cast<std::size_t>(message)].second ==
              (static_cast<std::uint64_t>(message) % kDroppedEvery == 0 ? Settlement::redeliver
                                                                        : Settlement::acknowledge));
    }
    CHECK(ledger.size() == 0);
}
