// The contract list diff of an in-place reconfigure: kept contracts keep their slots (hence
// their request ids), new ones get fresh slots after every slot handed out, removed ones are
// named, and identity means every field, the display name included.

#include "config/ibkr_config.hpp"
#include "session/contract_diff.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace mdp::ibkr;

namespace {

std::vector<ContractConfig> contracts_of(const std::string& contracts_json) {
    return parse_ibkr_config(R"({"contracts": )" + contracts_json + "}").contracts;
}

std::vector<std::size_t> slots(std::initializer_list<std::size_t> values) { return values; }

}  // namespace

TEST_CASE("kept contracts keep their slots, added ones take fresh slots, removed ones are named",
          "[ibkr][reconfigure]") {
    const auto current = contracts_of(R"(["AAPL", "IBM", "SPY"])");
    const auto diff = diff_contracts(current, slots({0, 1, 2}), contracts_of(R"(["SPY", "MSFT", "AAPL", "QQQ"])"));
    CHECK(diff.next_slots == slots({2, 3, 0, 4}));  // reordering moves nothing
    CHECK(diff.added_slots == slots({3, 4}));
    CHECK(diff.removed_slots == slots({1}));
}

TEST_CASE("the same list gives no change, however it is spelled", "[ibkr][reconfigure]") {
    const auto current = contracts_of(R"(["AAPL", {"symbol": "EUR", "sec_type": "CASH", "exchange": "IDEALPRO"}])");
    const auto next = contracts_of(
        R"([{"symbol": "AAPL"}, {"symbol": "EUR", "sec_type": "CASH", "exchange": "IDEALPRO", "currency": "USD"}])");
    const auto diff = diff_contracts(current, slots({0, 1}), next);
    CHECK(diff.next_slots == slots({0, 1}));
    CHECK(diff.added_slots.empty());
    CHECK(diff.removed_slots.empty());
}

TEST_CASE("a changed field or a new display name is a removal and an addition", "[ibkr][reconfigure]") {
    const auto current = contracts_of(R"(["AAPL", "IBM"])");
    const auto next = contracts_of(R"([{"symbol": "AAPL", "exchange": "ISLAND"}, {"symbol": "IBM", "name": "IBM.N"}])");
    const auto diff = diff_contracts(current, slots({0, 1}), next);
    CHECK(diff.next_slots == slots({2, 3}));
    CHECK(diff.added_slots == slots({2, 3}));
    CHECK(diff.removed_slots == slots({0, 1}));
    CHECK(contract_identity(current[0]) != contract_identity(next[0]));
}

TEST_CASE("slots of removed contracts are never handed out again", "[ibkr][reconfigure]") {
    // Slot 1 (IBM) was removed by an earlier change: it stays in by_slot, inactive.
    const auto by_slot = contracts_of(R"(["AAPL", "IBM", "MSFT"])");
    const auto diff = diff_contracts(by_slot, slots({0, 2}), contracts_of(R"(["AAPL", "MSFT", "IBM"])"));
    CHECK(diff.next_slots == slots({0, 2, 3}));  // IBM comes back on a fresh slot
    CHECK(diff.added_slots == slots({3}));
    CHECK(diff.removed_slots.empty());
}

TEST_CASE("strikes that differ only far behind the point are different contracts", "[ibkr][reconfigure]") {
    const auto current = contracts_of(
        R"([{"symbol": "SPY", "sec_type": "OPT", "last_trade_date": "20250620", "strike": 550.25, "right": "C",
             "name": "SPY C"}])");
    const auto next = contracts_of(
        R"([{"symbol": "SPY", "sec_type": "OPT", "last_trade_date": "20250620", "strike": 550.2500001, "right": "C",
             "name": "SPY C"}])");
    CHECK(contract_identity(current[0]) != contract_identity(next[0]));
}
