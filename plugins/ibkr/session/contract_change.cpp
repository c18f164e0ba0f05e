#include "session/contract_change.hpp"

namespace mdp::ibkr {

namespace {

constexpr std::size_t kNamesListed = 5;

std::string names_of(const std::vector<std::size_t>& slots, const SubscriptionBook& book) {
    std::string names;
    for (std::size_t index = 0; index < slots.size() && index < kNamesListed; ++index) {
        names += (index == 0 ? "" : ", ") + book.contract(slots[index]).display_name;
    }
    if (slots.size() > kNamesListed) {
        names += ", +" + std::to_string(slots.size() - kNamesListed) + " more";
    }
    return names.empty() ? "none" : names;
}

std::string counted(std::size_t count, const char* singular, const char* plural) {
    return std::to_string(count) + " " + (count == 1 ? singular : plural);
}

}  // namespace

ContractChange apply_contract_list(const std::vector<ContractConfig>& next, SubscriptionBook& book,
                                   MarketDataTranslator& translator, OutboundBuffer& buffer, PacedOutbox* outbox,
                                   int server_version) {
    ContractChange change = book.change_contracts(next, outbox, server_version);
    // The requests are only queued: nothing for the new slots can arrive before these return.
    buffer.ensure_contract_slots(book.slot_count());
    for (const std::size_t slot : change.diff.added_slots) {
        translator.add_contract(slot, book.contract(slot));
    }
    for (const std::size_t slot : change.diff.removed_slots) {
        translator.remove_contract(slot);
    }
    return change;
}

std::string describe_contract_change(const ContractChange& change, const SubscriptionBook& book) {
    return "contract list changed in place: added " + names_of(change.diff.added_slots, book) + "; removed " +
           names_of(change.diff.removed_slots, book) + "; " +
           counted(book.active_slots().size(), "contract", "contracts") + "; " +
           counted(change.requests, "request", "requests") + " and " + counted(change.cancels, "cancel", "cancels") +
           " queued";
}

}  // namespace mdp::ibkr
