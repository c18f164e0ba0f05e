#pragma once
// Request ids are derived from the contract's slot, so every message that carries a request
// id maps back to its contract with one subtraction, and the ids stay stable across
// reconnects (a fresh connection has no subscriptions to collide with) and in-place
// reconfigures. A contract's slot is its position in the config at construction; contracts
// added by a reconfigure get the next free slots (contract_diff.hpp), never a reused one.

#include <cstddef>
#include <optional>

namespace mdp::ibkr::request_ids {

inline constexpr int kMarketDataBase = 1;  // contract i: reqMktData id 1 + i
inline constexpr int kRealTimeBarsBase = 1'000'000;  // contract i: reqRealTimeBars id 1'000'000 + i
inline constexpr int kHistoricalBase = 2'000'000;  // contract i: its backfill's reqHistoricalData id 2'000'000 + i
// Slots one provider instance can hand out before its ids would collide (a restart, which
// numbers the slots afresh from the config, is needed beyond).
inline constexpr std::size_t kMaxContractSlots = kRealTimeBarsBase - kMarketDataBase;
static_assert(kHistoricalBase - kRealTimeBarsBase >= static_cast<int>(kMaxContractSlots));

constexpr int market_data(std::size_t contract_index) { return kMarketDataBase + static_cast<int>(contract_index); }
constexpr int real_time_bars(std::size_t contract_index) {
    return kRealTimeBarsBase + static_cast<int>(contract_index);
}
// One backfill request per contract is open at a time, so the slot alone names it.
constexpr int historical(std::size_t contract_index) { return kHistoricalBase + static_cast<int>(contract_index); }

inline std::optional<std::size_t> market_data_index(int request_id, std::size_t slot_count) {
    if (request_id < kMarketDataBase || request_id >= kRealTimeBarsBase) {
        return std::nullopt;
    }
    const auto index = static_cast<std::size_t>(request_id - kMarketDataBase);
    return index < slot_count ? std::optional<std::size_t>(index) : std::nullopt;
}

inline std::optional<std::size_t> real_time_bars_index(int request_id, std::size_t slot_count) {
    if (request_id < kRealTimeBarsBase || request_id >= kHistoricalBase) {
        return std::nullopt;
    }
    const auto index = static_cast<std::size_t>(request_id - kRealTimeBarsBase);
    return index < slot_count ? std::optional<std::size_t>(index) : std::nullopt;
}

inline std::optional<std::size_t> historical_index(int request_id, std::size_t slot_count) {
    if (request_id < kHistoricalBase) {
        return std::nullopt;
    }
    const auto index = static_cast<std::size_t>(request_id - kHistoricalBase);
    return index < slot_count ? std::optional<std::size_t>(index) : std::nullopt;
}

}  // namespace mdp::ibkr::request_ids
