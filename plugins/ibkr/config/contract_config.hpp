#pragma once
// One instrument to subscribe, as configured, and the wire contract block built from it.

#include "codec/contract_fields.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace mdp::ibkr {

struct ContractConfig {
    std::string display_name;  // the event symbol (unique per provider, <= 31 characters)
    std::string symbol;
    std::string sec_type = "STK";
    std::string exchange = "SMART";
    std::string primary_exchange;
    std::string currency = "USD";
    int con_id = 0;
    std::string local_symbol;
    std::string last_trade_date;  // lastTradeDateOrContractMonth: YYYYMM or YYYYMMDD
    double strike = 0.0;
    std::string right;  // C or P (CALL/PUT accepted and normalised)
    std::string multiplier;
    std::string trading_class;

    // Views into this object: valid while it lives and is not modified.
    [[nodiscard]] ContractFields wire_fields() const;
    bool operator==(const ContractConfig&) const = default;
};

// Parses `contracts[index]`: either a symbol string ("AAPL": a SMART-routed USD stock) or an
// object. Throws ConfigProblem with the key path.
ContractConfig parse_contract(const nlohmann::json& value, std::size_t index);

// The event symbol used when no "name" is given: the symbol for stocks and indices,
// "EUR.USD" for cash, the local symbol (or symbol + expiry) for futures, and
// "SPY 20250620 C550" for options.
std::string default_display_name(const ContractConfig& contract);

}  // namespace mdp::ibkr
