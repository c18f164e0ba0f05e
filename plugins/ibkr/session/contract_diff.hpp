#pragma once
// How a new contract list relates to the one being streamed (an in-place reconfigure): which
// contracts stay and keep their slot — hence their request ids, so their subscriptions are
// left alone — which are new (fresh slots after every slot handed out so far; a slot is never
// reused, so ticks still in flight for a cancelled request can never be taken for a new
// contract) and which are gone.
//
// A contract is the same when every configured field is, its display name included (the name
// is the events' symbol): a changed exchange or a rename is a removal plus an addition.
// Pure functions, on whichever thread owns the lists.

#include "config/contract_config.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace mdp::ibkr {

struct ContractDiff {
    std::vector<std::size_t> next_slots;  // the slot of each contract of the new list, in its order
    std::vector<std::size_t> added_slots;  // slots of the new contracts, ascending (in the new list's order)
    std::vector<std::size_t> removed_slots;  // slots of the current contracts missing from the new list
};

// `by_slot`: every contract ever given a slot (index = slot); `active_slots`: the slots of
// the current list, in its order. New contracts get slots from by_slot.size() on.
ContractDiff diff_contracts(const std::vector<ContractConfig>& by_slot, const std::vector<std::size_t>& active_slots,
                            const std::vector<ContractConfig>& next);

// The contract's identity as one string: equal exactly when every field is equal.
std::string contract_identity(const ContractConfig& contract);

}  // namespace mdp::ibkr
