// The plugin config: defaults, every key, and error messages of the form
// `<key path>: expected ...`.

#include "config/config_problem.hpp"
#include "config/ibkr_config.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace mdp::ibkr;

namespace {

std::string problem_of(const std::string& json_text) {
    try {
        (void)parse_ibkr_config(json_text);
    } catch (const ConfigProblem& problem) {
        return problem.what();
    }
    return "accepted";
}

}  // namespace

TEST_CASE("defaults follow IB Gateway paper trading", "[ibkr][config]") {
    const IbkrConfig config = parse_ibkr_config(R"({"contracts": ["AAPL"]})");
    CHECK(config.host == "127.0.0.1");
    CHECK(config.port == 4002);
    CHECK(config.client_id == 17);
    CHECK(config.market_data_type == 1);
    CHECK(config.reconnect.initial_delay_ms == 250);
    CHECK(config.reconnect.max_delay_ms == 5000);
    CHECK(config.reconnect.max_attempts == 0);
    CHECK(config.max_market_data_lines == 100);
    CHECK(config.max_messages_per_second == 45.0);
    CHECK(config.generic_ticks == "233");
    CHECK(config.uses_rt_volume());
    CHECK_FALSE(config.real_time_bars.enabled);
    CHECK(config.max_server_version == 200);
    REQUIRE(config.contracts.size() == 1);
    const ContractConfig& aapl = config.contracts[0];
    CHECK(aapl.symbol == "AAPL");
    CHECK(aapl.sec_type == "STK");
    CHECK(aapl.exchange == "SMART");
    CHECK(aapl.currency == "USD");
    CHECK(aapl.display_name == "AAPL");
}

TEST_CASE("every key is read", "[ibkr][config]") {
    const IbkrConfig config = parse_ibkr_config(R"({
        "host": "10.1.2.3", "port": 7497, "client_id": 3, "market_data_type": "delayed",
        "connect_timeout_ms": 2000,
        "reconnect": {"initial_delay_ms": 100, "max_delay_ms": 1000, "jitter": 0.5, "max_attempts": 9},
        "max_market_data_lines": 200, "max_messages_per_second": 40, "generic_ticks": ["233", 236],
        "delayed_fallback": true,
        "real_time_bars": {"enabled": true, "what_to_show": "MIDPOINT", "use_rth": true},
        "buffer_capacity": 500, "max_quote_hold_ms": 250, "min_server_version": 150, "max_server_version": 176,
        "optional_capabilities": "",
        "contracts": [
            {"symbol": "EUR", "sec_type": "CASH", "currency": "USD"},
            {"symbol": "ES", "sec_type": "FUT", "exchange": "CME", "last_trade_date": "202512"},
            {"symbol": "SPY", "sec_type": "OPT", "last_trade_date": "20250620", "strike": 550, "right": "CALL",
             "multiplier": "100"},
            {"symbol": "SPX", "sec_type": "IND", "exchange": "CBOE", "name": "S&P 500"},
            {"con_id": 265598, "primary_exchange": "NASDAQ", "local_symbol": "AAPL", "trading_class": "NMS",
             "name": "AAPL-conid"}
        ]})");
    CHECK(config.host == "10.1.2.3");
    CHECK(config.port == 7497);
    CHECK(config.market_data_type == 3);
    CHECK(config.reconnect.max_attempts == 9);
    CHECK(config.generic_ticks == "233,236");
    CHECK(config.real_time_bars.what_to_show == "MIDPOINT");
    CHECK(config.buffer_capacity == 500);
    CHECK(config.max_server_version == 176);
    REQUIRE(config.contracts.size() == 5);
    CHECK(config.contracts[0].exchange == "IDEALPRO");
    CHECK(config.contracts[0].display_name == "EUR.USD");
    CHECK(config.contracts[1].display_name == "ES 202512");
    CHECK(config.contracts[2].right == "C");
    CHECK(config.contracts[2].display_name == "SPY 20250620 C550");
    CHECK(config.contracts[3].display_name == "S&P 500");
    CHECK(config.contracts[4].con_id == 265598);
    const ContractFields wire = config.contracts[2].wire_fields();
    CHECK(wire.strike == 550.0);
    CHECK(wire.multiplier == "100");
}

TEST_CASE("bad values name their key path and what was expected", "[ibkr][config]") {
    CHECK(problem_of(R"({"contracts": ["A", "B", "C", {"symbol": "D", "sec_type": "STOCK"}]})") ==
          R"(contracts[3].sec_type: expected one of "STK", "CASH", "FUT", "IND", "OPT", "FOP", "CFD", "CMDTY", )"
          R"("CRYPTO", "BOND", "WAR", "FUND", "CONTFUT", found "STOCK")");
    CHECK(problem_of(R"({"port": "x", "contracts": ["A"]})") ==
          R"(port: expected an integer from 1 to 65535, found "x")");
    CHECK(problem_of(R"({"port": 70000, "contracts": ["A"]})") ==
          "port: expected an integer from 1 to 65535, found 70000");
    CHECK(problem_of(R"({"market_data_type": 5, "contracts": ["A"]})")
              .starts_with("market_data_type: expected 1 (live), 2 (frozen), 3 (delayed)"));
    CHECK(problem_of(R"({"max_messages_per_second": 60, "contracts": ["A"]})") ==
          "max_messages_per_second: expected a number from 1 to 50, found 60");
    CHECK(problem_of(R"({"reconnect": {"initial_delay_ms": 500, "max_delay_ms": 100}, "contracts": ["A"]})") ==
          "reconnect.max_delay_ms: expected a value >= initial_delay_ms (500), found 100");
    CHECK(problem_of(R"({"reconnect": {"jiter": 0.1}, "contracts": ["A"]})")
              .starts_with("reconnect.jiter: unknown key; expected one of"));
    CHECK(problem_of(R"({"contract": ["A"]})") ==
          "contracts: expected a non-empty array of contracts, found nothing (the key is required)");
    CHECK(problem_of(R"({"contracts": []})") == "contracts: expected a non-empty array of contracts, found an array");
    CHECK(problem_of(R"({"contracts": [42]})") == "contracts[0]: expected a symbol or a contract object, found 42");
    CHECK(problem_of(R"({"contracts": [{"sec_type": "STK"}]})") ==
          "contracts[0].symbol: expected a string, found nothing (the key is required)");
    CHECK(problem_of(R"({"contracts": [{"symbol": "ES", "sec_type": "FUT"}]})") ==
          "contracts[0].last_trade_date: expected YYYYMM or YYYYMMDD for sec_type FUT (or give local_symbol/con_id)");
    CHECK(problem_of(R"({"contracts": [{"symbol": "SPY", "sec_type": "OPT", "last_trade_date": "20250620"}]})") ==
          "contracts[0].strike: expected a number > 0 for sec_type OPT (or give con_id/local_symbol)");
    CHECK(problem_of(R"({"contracts": [{"symbol": "SPY", "last_trade_date": "2025-06"}]})") ==
          R"(contracts[0].last_trade_date: expected YYYYMM or YYYYMMDD, found "2025-06")");
    CHECK(problem_of(R"({"contracts": [{"symbol": "SPY", "right": "X"}]})") ==
          R"(contracts[0].right: expected one of "", "C", "P", "CALL", "PUT", found "X")");
    CHECK(problem_of(R"({"contracts": ["AAPL", "AAPL"]})") ==
          R"(contracts[1]: expected a unique display name, "AAPL" is used twice (set "name" to tell them apart))");
    CHECK(problem_of(R"({"contracts": [{"symbol": "A", "name": "a name that is far too long to fit a symbol"}]})")
              .starts_with("contracts[0].name: expected at most 31 characters"));
    CHECK(problem_of(R"({"contracts": ["A"], "max_server_version": 201})") ==
          "max_server_version: expected an integer from 100 to 200, found 201");
    CHECK(problem_of(R"({"contracts": ["A"], "generic_ticks": "233;236"})")
              .starts_with("generic_ticks: expected comma-separated generic tick numbers"));
    CHECK(problem_of(R"({"contracts": ["A"], "hots": "x"})").starts_with("hots: unknown key; expected one of"));
    CHECK(problem_of(R"({"contracts": ["A"], "hots": "x"})").ends_with(R"((did you mean "host"?))"));
    // About the config object as a whole: no path (the host names the object itself).
    CHECK(problem_of("{not json").starts_with("expected a JSON object ("));
    CHECK(problem_of("[1]") == "expected an object, found an array");
}

TEST_CASE("RTVolume is detected in the generic tick list", "[ibkr][config]") {
    CHECK(parse_ibkr_config(R"({"contracts": ["A"], "generic_ticks": "100,233"})").uses_rt_volume());
    CHECK_FALSE(parse_ibkr_config(R"({"contracts": ["A"], "generic_ticks": "2330"})").uses_rt_volume());
    CHECK_FALSE(parse_ibkr_config(R"({"contracts": ["A"], "generic_ticks": ""})").uses_rt_volume());
}
