#include "session/contract_diff.hpp"

#include <array>
#include <charconv>
#include <unordered_map>

namespace mdp::ibkr {

namespace {

constexpr char kFieldSeparator = '\x1f';  // never part of a configured field

std::string shortest_text(double value) {
    std::array<char, 32> text{};
    const auto result = std::to_chars(text.data(), text.data() + text.size(), value);
    return {text.data(), result.ptr};
}

}  // namespace

std::string contract_identity(const ContractConfig& contract) {
    std::string identity;
    for (const std::string* field :
         {&contract.display_name, &contract.symbol, &contract.sec_type, &contract.exchange, &contract.primary_exchange,
          &contract.currency, &contract.local_symbol, &contract.last_trade_date, &contract.right, &contract.multiplier,
          &contract.trading_class}) {
        identity += *field;
        identity += kFieldSeparator;
    }
    identity += std::to_string(contract.con_id);
    identity += kFieldSeparator;
    identity += shortest_text(contract.strike);
    return identity;
}

ContractDiff diff_contracts(const std::vector<ContractConfig>& by_slot, const std::vector<std::size_t>& active_slots,
                            const std::vector<ContractConfig>& next) {
    std::unordered_map<std::string, std::size_t> active_by_identity;
    for (const std::size_t slot : active_slots) {
        active_by_identity.emplace(contract_identity(by_slot[slot]), slot);
    }
    ContractDiff diff;
    diff.next_slots.reserve(next.size());
    std::size_t next_free_slot = by_slot.size();
    for (const ContractConfig& contract : next) {
        const auto found = active_by_identity.find(contract_identity(contract));
        if (found != active_by_identity.end()) {
            diff.next_slots.push_back(found->second);
            active_by_identity.erase(found);  // what is left at the end was removed
        } else {
            diff.next_slots.push_back(next_free_slot);
            diff.added_slots.push_back(next_free_slot++);
        }
    }
    for (const std::size_t slot : active_slots) {
        if (active_by_identity.count(contract_identity(by_slot[slot])) > 0) {
            diff.removed_slots.push_back(slot);
        }
    }
    return diff;
}

}  // namespace mdp::ibkr
