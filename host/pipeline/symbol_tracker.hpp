#pragma once
// Per-provider, per-symbol freshness (docs/data-quality.md). The coordinator thread feeds it
// every batch it takes off the store queue, in order, with one clock reading and one lock
// per batch; publish threads never touch it, so tracking adds nothing to a provider's
// publish call. After a symbol's first event, recording allocates nothing.
//
// A symbol's state is judged when asked, at the instant asked: `closed` while its
// provider's trading hours say the market is closed; otherwise `stale` when no event was
// seen for longer than stale_after_seconds, counted from the later of its last event and
// the opening of the current session (a market that just opened gives every symbol the
// full threshold); otherwise `fresh`.

#include "config/host_config.hpp"
#include "pipeline/store_event.hpp"
#include "pipeline/symbol_activity.hpp"
#include "status/symbol_query.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mdp::pipeline {

class SymbolTracker {
   public:
    // [control-thread] Tracks provider `provider_id` by `rules` from now on (again), keeping
    // what it already knows of its symbols; rules.enabled false forgets and stops tracking.
    void configure(std::uint32_t provider_id, const std::string& name, const config::FreshnessConfig& rules);
    // [control-thread] The provider was removed: forget it.
    void remove(std::uint32_t provider_id);

    // [coordinator-thread] Events the host took off the store queue at `seen_ns` (UTC ns).
    void record(std::span<const StoreEvent> batch, std::int64_t seen_ns);

    // [any-thread] Counts by state for every tracked provider, judged at `now_ns`.
    [[nodiscard]] std::vector<status::ProviderSymbolCounts> counts(std::int64_t now_ns) const;
    // [any-thread] One page of symbols in (provider, symbol) order, judged at `now_ns`.
    // Holds the tracker's lock only while copying the matching rows.
    [[nodiscard]] status::SymbolPage query(const status::SymbolQuery& query, std::int64_t now_ns) const;

   private:
    struct SymbolHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
    };
    using SymbolMap = std::unordered_map<std::string, SymbolActivity, SymbolHash, std::equal_to<>>;

    struct ProviderSymbols {
        std::string name;
        config::FreshnessConfig rules;
        SymbolMap symbols;
        std::uint64_t untracked_events = 0;
        bool warned_full = false;
    };

    // How one provider's symbols are judged at one instant.
    struct Judgement {
        bool market_open = true;
        std::int64_t stale_before_ns = 0;  // last seen before this (and not closed) = stale
    };
    [[nodiscard]] static Judgement judge(const ProviderSymbols& provider, std::int64_t now_ns);
    [[nodiscard]] static status::SymbolState state_of(const Judgement& judgement, const SymbolActivity& activity);
    [[nodiscard]] static status::ProviderSymbolCounts count(const ProviderSymbols& provider, std::int64_t now_ns);
    static void record_one(ProviderSymbols& provider, const mdp_event_t& event, std::int64_t seen_ns);

    mutable std::mutex mutex_;  // guards providers_ and everything in it
    std::vector<std::unique_ptr<ProviderSymbols>> providers_;  // by provider id; null = untracked
};

}  // namespace mdp::pipeline
