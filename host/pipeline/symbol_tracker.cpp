#include "pipeline/symbol_tracker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>

namespace mdp::pipeline {

namespace {

constexpr std::int64_t kNsPerSecond = 1'000'000'000;

// The price an event says the symbol last traded or was quoted at; NaN when it has none.
// A backfilled event is history recovered after an outage, older than what the live stream
// delivered since: it is seen, but its price is not the last one.
double price_of(const mdp_event_t& event) {
    if ((event.flags & MDP_EVENT_FLAG_BACKFILLED) != 0) {
        return std::nan("");
    }
    switch (event.type) {
        case MDP_EVENT_TRADE:
            return event.body.trade.price;
        case MDP_EVENT_QUOTE:
            return std::isnan(event.body.quote.last) ? (event.body.quote.bid + event.body.quote.ask) / 2.0
                                                     : event.body.quote.last;
        case MDP_EVENT_BAR:
            return event.body.bar.close;
        default:
            return std::nan("");
    }
}

bool contains_ignoring_case(std::string_view text, std::string_view part) {
    const auto same = [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    };
    return std::search(text.begin(), text.end(), part.begin(), part.end(), same) != text.end();
}

}  // namespace

void SymbolTracker::configure(std::uint32_t provider_id, const std::string& name,
                              const config::FreshnessConfig& rules) {
    std::lock_guard lock(mutex_);
    if (providers_.size() <= provider_id) {
        providers_.resize(provider_id + 1U);
    }
    auto& slot = providers_[provider_id];
    if (!rules.enabled) {
        slot.reset();
        return;
    }
    if (!slot) {
        slot = std::make_unique<ProviderSymbols>();
    }
    slot->name = name;
    slot->rules = rules;
}

void SymbolTracker::remove(std::uint32_t provider_id) {
    std::lock_guard lock(mutex_);
    if (provider_id < providers_.size()) {
        providers_[provider_id].reset();
    }
}

void SymbolTracker::record(std::span<const StoreEvent> batch, std::int64_t seen_ns) {
    std::lock_guard lock(mutex_);
    for (const StoreEvent& record : batch) {
        if (record.provider_id < providers_.size() && providers_[record.provider_id]) {
            record_one(*providers_[record.provider_id], record.event, seen_ns);
        }
    }
}

void SymbolTracker::record_one(ProviderSymbols& provider, const mdp_event_t& event, std::int64_t seen_ns) {
    const std::string_view symbol(event.symbol, strnlen(event.symbol, MDP_SYMBOL_CAPACITY));
    auto found = provider.symbols.find(symbol);
    if (found == provider.symbols.end()) {
        if (provider.symbols.size() >= provider.rules.max_symbols) {
            ++provider.untracked_events;
            if (!provider.warned_full) {
                provider.warned_full = true;
                spdlog::warn(
                    "provider {}: freshness tracks at most {} symbols (freshness.max_symbols); \"{}\" and "
                    "later new symbols are stored but not tracked",
                    provider.name, provider.rules.max_symbols, symbol);
            }
            return;
        }
        found = provider.symbols.try_emplace(std::string(symbol)).first;
    }
    found->second.record(event.type, price_of(event), seen_ns);
}

SymbolTracker::Judgement SymbolTracker::judge(const ProviderSymbols& provider, std::int64_t now_ns) {
    Judgement judgement;
    std::int64_t silence_from_ns = 0;
    if (provider.rules.trading_hours) {
        const auto session_start = provider.rules.trading_hours->session_start(now_ns);
        judgement.market_open = session_start.has_value();
        silence_from_ns = session_start.value_or(0);
    }
    // Stale when the last event is older than the threshold, but never counting the
    // silence before the session opened.
    const std::int64_t threshold_ns = provider.rules.stale_after_seconds * kNsPerSecond;
    judgement.stale_before_ns = silence_from_ns + threshold_ns > now_ns ? 0 : now_ns - threshold_ns;
    return judgement;
}

status::SymbolState SymbolTracker::state_of(const Judgement& judgement, const SymbolActivity& activity) {
    if (!judgement.market_open) {
        return status::SymbolState::closed;
    }
    return activity.last_seen_ns() < judgement.stale_before_ns ? status::SymbolState::stale
                                                               : status::SymbolState::fresh;
}

status::ProviderSymbolCounts SymbolTracker::count(const ProviderSymbols& provider, std::int64_t now_ns) {
    status::ProviderSymbolCounts counts;
    counts.provider = provider.name;
    counts.untracked_events = provider.untracked_events;
    counts.stale_after_seconds = provider.rules.stale_after_seconds;
    counts.trading_hours = provider.rules.trading_hours ? provider.rules.trading_hours->text() : "";
    const Judgement judgement = judge(provider, now_ns);
    counts.market_open = judgement.market_open;
    if (!judgement.market_open) {
        counts.closed = provider.symbols.size();
        return counts;
    }
    for (const auto& [symbol, activity] : provider.symbols) {
        ++(state_of(judgement, activity) == status::SymbolState::stale ? counts.stale : counts.fresh);
    }
    return counts;
}

std::vector<status::ProviderSymbolCounts> SymbolTracker::counts(std::int64_t now_ns) const {
    std::vector<status::ProviderSymbolCounts> result;
    std::lock_guard lock(mutex_);
    for (const auto& provider : providers_) {
        if (provider) {
            result.push_back(count(*provider, now_ns));
        }
    }
    return result;
}

status::SymbolPage SymbolTracker::query(const status::SymbolQuery& query, std::int64_t now_ns) const {
    // What a matching symbol needs for sorting and paging; a full row (string copies, the
    // minute window) is built only for the rows of the page.
    struct Match {
        const ProviderSymbols* provider;
        const SymbolMap::value_type* symbol;
        status::SymbolState state;
    };
    status::SymbolPage page;
    page.now_ns = now_ns;
    page.provider_known = !query.provider.has_value();
    std::vector<Match> matches;
    std::lock_guard lock(mutex_);
    for (const auto& provider : providers_) {
        if (!provider) {
            continue;
        }
        page.providers.push_back(count(*provider, now_ns));
        if (query.provider && *query.provider != provider->name) {
            continue;
        }
        page.provider_known = true;
        const std::size_t segment_start = matches.size();
        const Judgement judgement = judge(*provider, now_ns);
        for (const auto& entry : provider->symbols) {
            const status::SymbolState state = state_of(judgement, entry.second);
            if ((query.state && *query.state != state) ||
                (!query.search.empty() && !contains_ignoring_case(entry.first, query.search))) {
                continue;
            }
            matches.push_back({provider.get(), &entry, state});
        }
        // Providers keep the registry's order; symbols sort within each.
        std::sort(matches.begin() + static_cast<std::ptrdiff_t>(segment_start), matches.end(),
                  [](const Match& a, const Match& b) { return a.symbol->first < b.symbol->first; });
    }
    page.total = matches.size();
    const std::size_t first = std::min(query.offset, matches.size());
    const std::size_t last = first + std::min(query.limit, matches.size() - first);
    for (std::size_t index = first; index < last; ++index) {
        const Match& match = matches[index];
        const SymbolActivity& activity = match.symbol->second;
        status::SymbolRow row;
        row.provider = match.provider->name;
        row.symbol = match.symbol->first;
        row.state = match.state;
        row.last_seen_ns = activity.last_seen_ns();
        for (const common::EventType type : common::kEventTypes) {
            row.last_seen_ns_by_type[type] = activity.last_seen_ns(type);
        }
        row.last_price = activity.last_price();
        row.events_last_minute = activity.events_in_last_minute(now_ns);
        page.rows.push_back(std::move(row));
    }
    return page;
}

}  // namespace mdp::pipeline
