#pragma once
// Scripted market data for mdp-fake-tws: a text file, one step per line, '#' comments.
//
//   wait_for AAPL MSFT            start once these are subscribed (default: every symbol named)
//   sleep 50                      milliseconds
//   price AAPL bid 150.50 100     tickPrice: tick (name or number), price, size [attribute mask]
//   size AAPL bid_size 300        tickSize
//   string AAPL rt_volume 150.51;5;1705500000000;1000;150.50;true
//   generic AAPL halted 0         tickGeneric
//   market_data_type AAPL 3       marketDataType
//   bar AAPL 1705500000 150 151 149.5 150.5 1000 150.2 42   realtimeBar: time o h l c volume wap count
//   error AAPL 354 Requested market data is not subscribed.
//   system 1100 Connectivity between IB and Trader Workstation has been lost.
//   disconnect                    close the connection abruptly
//
// Symbols stand for the request id the client used for them.

#include <chrono>
#include <string>
#include <vector>

namespace mdp::ibkr::fake {

struct ScriptStep {
    enum class Kind { sleep, price, size, string, generic, market_data_type, bar, error, system, disconnect };
    Kind kind = Kind::sleep;
    int line = 0;
    std::string symbol;
    int tick_type = 0;
    double price = 0.0;
    double size = 0.0;
    int attribute_mask = 0;
    std::string text;
    std::int64_t time_seconds = 0;
    double open = 0, high = 0, low = 0, close = 0, volume = 0, wap = 0;
    int count = 0;
    int code = 0;
    std::chrono::milliseconds delay{0};
};

struct TickScript {
    std::vector<std::string> wait_for;  // symbols that must be subscribed before the steps run
    std::vector<ScriptStep> steps;
};

// Throws std::runtime_error naming the file, line and what was expected.
TickScript load_tick_script(const std::string& path);
TickScript parse_tick_script(const std::string& text, const std::string& source_name);

}  // namespace mdp::ibkr::fake
