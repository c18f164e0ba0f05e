#pragma once
// The hand-off between the socket thread (producer) and the publisher thread (consumer),
// and the place where the host's rate scale is obeyed. Memory is bounded whatever the feed
// does: one FIFO of at most `capacity` events plus one quote per contract.
//
//   scale 1.0       everything flows through the FIFO in order. Should the FIFO fill (the
//                   host is slow to accept), quotes fall back to per-contract conflation and
//                   trades/bars beyond the capacity are dropped (counted).
//   0 < scale < 1   quotes are conflated per contract (latest wins) and each contract's
//                   quotes are released at `scale` times that contract's own update rate
//                   (never held longer than max_quote_hold); trades and bars flow as usual.
//   scale 0         nothing is released. Quotes are held (latest per contract), trades and
//                   bars wait in the FIFO; beyond its capacity they are dropped (counted).
//
// The producer never waits for the consumer: push() takes a short lock and returns.
// [any-thread] All functions are thread-safe.

#include "market_data/outbound_event.hpp"

#include <mdp/plugin_api.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <vector>

namespace mdp::ibkr {

class OutboundBuffer {
   public:
    using Clock = std::chrono::steady_clock;

    struct Counters {
        std::uint64_t pushed = 0;  // events offered by the producer
        std::uint64_t pushed_quotes = 0;
        std::uint64_t pushed_trades = 0;
        std::uint64_t pushed_bars = 0;
        std::uint64_t released = 0;  // events handed to the publisher
        std::uint64_t quotes_conflated = 0;  // quotes superseded by a newer one before release
        std::uint64_t dropped_trades = 0;  // lost to a full buffer
        std::uint64_t dropped_bars = 0;
        std::size_t queued = 0;  // in the FIFO now
        std::size_t held_quotes = 0;  // conflated quotes waiting now
    };

    OutboundBuffer(std::size_t contract_count, std::size_t capacity, Clock::duration max_quote_hold);

    // [producer] Quote slots for `contract_count` contract slots (a reconfigure added some);
    // never shrinks (a removed contract's held quote still goes out).
    void ensure_contract_slots(std::size_t contract_count);

    // [producer] Routes a batch under the current rate scale.
    void push(std::span<const OutboundEvent> events, double rate_scale, Clock::time_point now);

    // [consumer] Appends to `out` what may be published now and returns when the next held
    // quote falls due (time_point::max() when none is waiting).
    Clock::time_point take_publishable(std::vector<mdp_event_t>& out, double rate_scale, Clock::time_point now);
    // [consumer] Everything held, whatever the scale (the final flush at stop).
    void take_all(std::vector<mdp_event_t>& out);

    // [consumer] Blocks until a push()/wake() since the last take, or until `deadline`.
    void wait_until(Clock::time_point deadline);
    // Wakes a waiting consumer (the scale changed, or stop).
    void wake();

    [[nodiscard]] Counters counters() const;

   private:
    struct QuoteSlot {
        mdp_event_t latest{};
        bool dirty = false;  // `latest` not released yet
        bool listed = false;  // in dirty_slots_
        Clock::time_point next_release{};
        // This contract's quote update rate, measured over windows of about a second.
        Clock::time_point window_start{};
        std::uint32_t window_updates = 0;
        double updates_per_second = 0.0;
    };

    void route_quote(const OutboundEvent& event, double rate_scale, Clock::time_point now);
    void hold_quote(QuoteSlot& slot, const mdp_event_t& event);
    void note_quote_update(QuoteSlot& slot, Clock::time_point now);
    [[nodiscard]] Clock::duration release_interval(const QuoteSlot& slot, double rate_scale) const;

    const std::size_t capacity_;
    const Clock::duration max_quote_hold_;

    mutable std::mutex mutex_;
    std::condition_variable wakeup_;
    std::uint64_t generation_ = 0;  // bumped by push()/wake()
    std::uint64_t seen_generation_ = 0;  // what the consumer saw at its last take
    std::vector<mdp_event_t> fifo_;
    std::vector<QuoteSlot> slots_;
    std::vector<std::uint32_t> dirty_slots_;
    Counters counters_;
};

}  // namespace mdp::ibkr
