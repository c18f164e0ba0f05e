#include "contract_config.hpp"

#include "config_problem.hpp"

#include <mdp/sdk/config_reader.hpp>

#include <mdp/plugin_api.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <vector>

namespace mdp::ibkr {

namespace {

using nlohmann::json;

const std::vector<std::string> kSecTypes = {"STK",   "CASH",   "FUT",  "IND", "OPT",  "FOP",    "CFD",
                                            "CMDTY", "CRYPTO", "BOND", "WAR", "FUND", "CONTFUT"};
constexpr std::size_t kMaxDisplayNameLength = MDP_SYMBOL_CAPACITY - 1;

bool needs_expiry(const std::string& sec_type) {
    return sec_type == "FUT" || sec_type == "OPT" || sec_type == "FOP" || sec_type == "WAR";
}

bool is_option(const std::string& sec_type) { return sec_type == "OPT" || sec_type == "FOP" || sec_type == "WAR"; }

bool is_digits(const std::string& text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

std::string strike_text(double strike) {
    char buffer[32];
    const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, strike);
    (void)error;
    return std::string(buffer, end);
}

void validate_option_fields(sdk::ConfigReader& reader, ContractConfig& contract) {
    if (!is_option(contract.sec_type)) {
        return;
    }
    if (contract.con_id != 0 || !contract.local_symbol.empty()) {
        return;  // an exact identifier makes the rest optional
    }
    if (!(contract.strike > 0.0)) {
        reader.fail_at("strike", "a number > 0 for sec_type " + contract.sec_type + " (or give con_id/local_symbol)");
    }
    if (contract.right.empty()) {
        reader.fail_at("right", "\"C\" or \"P\" for sec_type " + contract.sec_type + " (or give con_id/local_symbol)");
    }
}

ContractConfig parse_contract_object(const json& value, const std::string& path) {
    sdk::ConfigReader reader(value, path);
    ContractConfig contract;
    contract.con_id = static_cast<int>(reader.integer("con_id", 0, std::numeric_limits<int>::max(), 0));
    contract.symbol = reader.string("symbol", contract.con_id != 0 ? std::optional<std::string>("") : std::nullopt);
    if (contract.symbol.empty() && contract.con_id == 0) {
        reader.fail_at("symbol", "a non-empty string (or give con_id)", value.at("symbol"));
    }
    contract.sec_type = reader.one_of("sec_type", kSecTypes, std::string("STK"));
    contract.exchange =
        reader.nonempty_string("exchange", std::string(contract.sec_type == "CASH" ? "IDEALPRO" : "SMART"));
    contract.primary_exchange = reader.string("primary_exchange", std::string());
    contract.currency = reader.string("currency", std::string("USD"));
    contract.local_symbol = reader.string("local_symbol", std::string());
    contract.last_trade_date = reader.string("last_trade_date", std::string());
    contract.strike = reader.number("strike", 0.0, 1e9, 0.0);
    const std::string right = reader.one_of("right", {"", "C", "P", "CALL", "PUT"}, std::string());
    contract.right = right.empty() ? "" : right.substr(0, 1);
    contract.multiplier = reader.string("multiplier", std::string());
    contract.trading_class = reader.string("trading_class", std::string());
    const std::string name = reader.string("name", std::string());
    reader.finish();

    if (!contract.last_trade_date.empty() &&
        (!is_digits(contract.last_trade_date) ||
         (contract.last_trade_date.size() != 6 && contract.last_trade_date.size() != 8))) {
        reader.fail_at("last_trade_date", "YYYYMM or YYYYMMDD", value.at("last_trade_date"));
    }
    if (needs_expiry(contract.sec_type) && contract.last_trade_date.empty() && contract.local_symbol.empty() &&
        contract.con_id == 0) {
        reader.fail_at("last_trade_date",
                       "YYYYMM or YYYYMMDD for sec_type " + contract.sec_type + " (or give local_symbol/con_id)");
    }
    validate_option_fields(reader, contract);
    if (!contract.multiplier.empty() && !is_digits(contract.multiplier)) {
        reader.fail_at("multiplier", "digits, e.g. \"100\"", value.at("multiplier"));
    }
    contract.display_name = name.empty() ? default_display_name(contract) : name;
    if (contract.display_name.size() > kMaxDisplayNameLength) {
        if (name.empty()) {
            reader.fail_at("name", "a display name of at most " + std::to_string(kMaxDisplayNameLength) +
                                       " characters (the derived \"" + contract.display_name + "\" is too long)");
        }
        reader.fail_at("name", "at most " + std::to_string(kMaxDisplayNameLength) + " characters", value.at("name"));
    }
    return contract;
}

}  // namespace

ContractFields ContractConfig::wire_fields() const {
    ContractFields fields;
    fields.con_id = con_id;
    fields.symbol = symbol;
    fields.sec_type = sec_type;
    fields.last_trade_date_or_contract_month = last_trade_date;
    fields.strike = strike;
    fields.right = right;
    fields.multiplier = multiplier;
    fields.exchange = exchange;
    fields.primary_exchange = primary_exchange;
    fields.currency = currency;
    fields.local_symbol = local_symbol;
    fields.trading_class = trading_class;
    return fields;
}

std::string default_display_name(const ContractConfig& contract) {
    std::string base = contract.symbol.empty() ? "conid:" + std::to_string(contract.con_id) : contract.symbol;
    if (contract.sec_type == "CASH") {
        return base + "." + contract.currency;
    }
    if (contract.sec_type == "FUT" || contract.sec_type == "CONTFUT") {
        if (!contract.local_symbol.empty()) {
            return contract.local_symbol;
        }
        return contract.last_trade_date.empty() ? base : base + " " + contract.last_trade_date;
    }
    if (is_option(contract.sec_type)) {
        if (!contract.local_symbol.empty()) {
            return contract.local_symbol;
        }
        std::string name = base;
        if (!contract.last_trade_date.empty()) {
            name += " " + contract.last_trade_date;
        }
        if (!contract.right.empty()) {
            name += " " + contract.right + strike_text(contract.strike);
        }
        return name;
    }
    return base;
}

ContractConfig parse_contract(const json& value, std::size_t index) {
    const std::string path = "contracts[" + std::to_string(index) + "]";
    if (value.is_string()) {
        ContractConfig contract;
        contract.symbol = value.get<std::string>();
        if (contract.symbol.empty() || contract.symbol.find('\0') != std::string::npos) {
            throw ConfigProblem(path,
                                "expected a symbol or a contract object, found " + sdk::describe_json_value(value));
        }
        contract.display_name = contract.symbol;
        if (contract.display_name.size() > kMaxDisplayNameLength) {
            throw ConfigProblem(path, "expected a symbol of at most " + std::to_string(kMaxDisplayNameLength) +
                                          " characters (use an object with \"name\")");
        }
        return contract;
    }
    if (!value.is_object()) {
        throw ConfigProblem(path, "expected a symbol or a contract object, found " + sdk::describe_json_value(value));
    }
    return parse_contract_object(value, path);
}

}  // namespace mdp::ibkr
