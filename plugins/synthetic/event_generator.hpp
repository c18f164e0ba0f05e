#pragma once
// Builds batches of synthetic events for a set of symbols: quotes and trades from each
// symbol's random walk (round-robin over the symbols, so every symbol gets the same rate),
// plus bars aggregated from those trades for each configured interval.
//
// No heap allocation per event: the batch array and the pending-bar list are allocated in
// the constructor and reused. The returned span stays valid until the next fill().
// Not thread-safe; one generator per worker thread.

#include "bar_aggregator.hpp"
#include "random_source.hpp"
#include "random_walk.hpp"

#include <mdp/plugin_api.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace mdp::synthetic {

struct GeneratorSettings {
    std::vector<std::string> symbols;  // non-empty, each at most 31 characters
    double trade_ratio = 0.2;  // 0..1
    double start_price = 100.0;  // > 0
    double volatility = 0.0005;  // >= 0
    std::vector<std::int64_t> bar_intervals_ns;  // each > 0
    std::uint32_t batch_capacity = 256;  // largest fill() count, >= 1
    std::uint64_t seed = 0;
    // Per symbol (same order; empty = none): nanoseconds after the first fill() from which
    // it publishes nothing more; std::nullopt never. At least one symbol must never pause.
    std::vector<std::optional<std::int64_t>> pause_after_ns;
};

struct GeneratedCounts {
    std::uint64_t quotes = 0;
    std::uint64_t trades = 0;
    std::uint64_t bars = 0;
};

class EventGenerator {
   public:
    explicit EventGenerator(const GeneratorSettings& settings);

    // Returns exactly `count` (<= batch capacity) events stamped with `now_ns` (UTC ns, used
    // as event and receive time; bars carry their interval start as event time). Bars that
    // closed (their interval ended by `now_ns`, or a trade of a later interval arrived) come
    // first, ahead of new quotes and trades; a bar that does not fit waits for the next fill.
    std::span<const mdp_event_t> fill(std::int64_t now_ns, std::uint32_t count);

    [[nodiscard]] const GeneratedCounts& counts() const noexcept { return counts_; }
    [[nodiscard]] std::size_t symbol_count() const noexcept { return instruments_.size(); }

   private:
    struct Instrument {
        std::string symbol;
        RandomWalk walk;
        std::vector<BarAggregator> bars;  // one per configured interval
        std::optional<std::int64_t> pause_after_ns;  // see GeneratorSettings
        // A quote and a trade of this symbol with its size, type and symbol set (times and
        // the body are filled per event): each event starts as a copy of one, so the symbol
        // is copied into a record once, not per event (the generator is the whole path's
        // ceiling; docs/performance.md). 2 x 136 bytes per symbol.
        mdp_event_t quote_prototype;
        mdp_event_t trade_prototype;
    };
    struct PendingBar {
        std::size_t instrument;
        ClosedBar closed;
    };

    void close_due_bars(std::int64_t now_ns);
    void append_pending_bars(std::int64_t now_ns, std::uint32_t count);
    void append_market_event(std::int64_t now_ns);
    // The next instrument in round-robin order that is not paused at `now_ns`.
    std::size_t next_publishing_instrument(std::int64_t now_ns);
    void append(const mdp_event_t& event) noexcept { batch_[size_++] = event; }
    // The next record of the batch, to be filled in place.
    mdp_event_t& next_slot() noexcept { return batch_[size_++]; }

    RandomSource random_;
    double trade_ratio_;
    std::vector<Instrument> instruments_;
    std::size_t next_instrument_ = 0;
    std::int64_t first_fill_ns_ = 0;  // 0 until the first fill()
    std::vector<mdp_event_t> batch_;
    std::uint32_t size_ = 0;
    std::vector<PendingBar> pending_bars_;  // FIFO from pending_head_
    std::size_t pending_head_ = 0;
    GeneratedCounts counts_;
};

}  // namespace mdp::synthetic
