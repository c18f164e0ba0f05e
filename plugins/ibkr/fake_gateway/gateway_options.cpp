#include "fake_gateway/gateway_options.hpp"

#include "codec/number_text.hpp"
#include "codec/server_versions.hpp"

#include <algorithm>

namespace mdp::ibkr::fake {

namespace {

std::int64_t integer_value(const std::string& option, const std::string& text, std::int64_t min, std::int64_t max) {
    const ParsedInteger parsed = parse_integer(text);
    if (parsed.status != NumberStatus::value || parsed.value < min || parsed.value > max) {
        throw UsageError(option + ": expected an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                         ", found \"" + text + "\"");
    }
    return parsed.value;
}

double number_value(const std::string& option, const std::string& text, double min, double max) {
    const ParsedDouble parsed = parse_double(text);
    if (parsed.status != NumberStatus::value || parsed.value < min || parsed.value > max) {
        throw UsageError(option + ": expected a number from " + std::to_string(min) + " to " + std::to_string(max) +
                         ", found \"" + text + "\"");
    }
    return parsed.value;
}

const std::vector<std::string> kFaultActions = {"1100", "1101",       "1102",    "2110",     "2103",      "2104",
                                                "100",  "disconnect", "garbage", "oversize", "malformed", "corrupt"};

ScheduledFault fault_value(const std::string& text) {
    const std::size_t colon = text.find(':');
    if (colon == std::string::npos) {
        throw UsageError("--fault: expected MS:ACTION (e.g. 2000:1100), found \"" + text + "\"");
    }
    ScheduledFault fault;
    fault.at = std::chrono::milliseconds(integer_value("--fault", text.substr(0, colon), 0, 86'400'000));
    fault.action = text.substr(colon + 1);
    if (std::find(kFaultActions.begin(), kFaultActions.end(), fault.action) == kFaultActions.end()) {
        std::string known;
        for (const auto& action : kFaultActions) {
            known += (known.empty() ? "" : ", ") + action;
        }
        throw UsageError("--fault: unknown action \"" + fault.action + "\"; expected one of " + known);
    }
    return fault;
}

}  // namespace

GatewayOptions parse_gateway_options(const std::vector<std::string>& arguments) {
    GatewayOptions options;
    for (std::size_t index = 0; index < arguments.size(); ++index) {
        const std::string& option = arguments[index];
        auto value = [&]() -> const std::string& {
            if (index + 1 >= arguments.size()) {
                throw UsageError(option + ": expected a value");
            }
            return arguments[++index];
        };
        if (option == "--bind") {
            options.bind_address = value();
        } else if (option == "--port") {
            options.port = static_cast<std::uint16_t>(integer_value(option, value(), 0, 65535));
        } else if (option == "--port-file") {
            options.port_file = value();
        } else if (option == "--server-version") {
            options.server_version = static_cast<int>(
                integer_value(option, value(), server_version::kMinSupported, server_version::kMaxSupported));
        } else if (option == "--accounts") {
            options.accounts = value();
        } else if (option == "--ticks") {
            const std::string& mode = value();
            if (mode == "random") {
                options.ticks = TickSource::random_walk;
            } else if (mode == "none") {
                options.ticks = TickSource::none;
            } else {
                throw UsageError("--ticks: expected random or none (use --script FILE for scripted ticks)");
            }
        } else if (option == "--script") {
            options.script_file = value();
            options.ticks = TickSource::script;
        } else if (option == "--rate") {
            options.steps_per_second = number_value(option, value(), 0.001, 1'000'000.0);
        } else if (option == "--seed") {
            options.seed = static_cast<std::uint64_t>(integer_value(option, value(), 0, INT64_MAX));
        } else if (option == "--bar-interval-ms") {
            options.bar_interval = std::chrono::milliseconds(integer_value(option, value(), 1, 3'600'000));
        } else if (option == "--max-lines") {
            options.max_lines = static_cast<int>(integer_value(option, value(), 1, 1'000'000));
        } else if (option == "--pacing-limit") {
            options.pacing_limit = static_cast<int>(integer_value(option, value(), 1, 1'000'000));
        } else if (option == "--pacing-disconnect-after") {
            options.pacing_disconnect_after = static_cast<int>(integer_value(option, value(), 1, 1'000'000));
        } else if (option == "--unknown-symbol") {
            options.unknown_symbols.insert(value());
        } else if (option == "--not-subscribed") {
            options.not_subscribed_symbols.insert(value());
        } else if (option == "--delayed-disabled") {
            options.delayed_disabled_symbols.insert(value());
        } else if (option == "--client-id-in-use") {
            options.client_ids_in_use.insert(static_cast<int>(integer_value(option, value(), 0, INT32_MAX)));
        } else if (option == "--fault") {
            options.faults.push_back(fault_value(value()));
        } else if (option == "--fault-connections") {
            options.fault_connections = static_cast<int>(integer_value(option, value(), 0, 1'000'000));
        } else if (option == "--outage-ms") {
            options.outage = std::chrono::milliseconds(integer_value(option, value(), 0, 86'400'000));
        } else if (option == "--split-writes") {
            options.write_mode = WriteMode::split;
        } else if (option == "--coalesce-writes") {
            options.write_mode = WriteMode::coalesced;
        } else if (option == "--blast") {
            options.blast_messages = static_cast<std::uint64_t>(integer_value(option, value(), 1, INT64_MAX));
        } else if (option == "--blast-after-subscriptions") {
            options.blast_after_subscriptions = static_cast<int>(integer_value(option, value(), 1, 1'000'000));
        } else if (option == "--garbage-only") {
            options.garbage_only = true;
        } else if (option == "--exit-after-ms") {
            options.exit_after = std::chrono::milliseconds(integer_value(option, value(), 1, INT64_MAX));
        } else if (option == "--quiet") {
            options.quiet = true;
        } else if (option == "--help" || option == "-h") {
            throw UsageError("");
        } else {
            throw UsageError("unknown option \"" + option + "\"");
        }
    }
    std::sort(options.faults.begin(), options.faults.end(),
              [](const ScheduledFault& a, const ScheduledFault& b) { return a.at < b.at; });
    return options;
}

std::string usage_text() {
    return R"(mdp-fake-tws: a fake IB Gateway speaking the TWS API socket protocol (text, versions 100..200).

usage: mdp-fake-tws [options]
  --port N                  listen on 127.0.0.1:N (default 0: an ephemeral port, printed)
  --port-file FILE          also write the chosen port to FILE
  --bind ADDRESS            listen address (default 127.0.0.1)
  --server-version N        the highest server version offered (default 176)
  --accounts LIST           managedAccounts answer (default DU1234567)
  --ticks random|none       random-walk ticks (default) or none
  --script FILE             scripted ticks instead (format in plugins/ibkr/README.md)
  --rate N                  random-walk updates per subscription per second (default 10)
  --seed N                  random seed (default 42)
  --bar-interval-ms N       real-time bar cadence (default 5000, the real 5-second bars)
  --max-lines N             market data lines before error 101 (default 100)
  --pacing-limit N          client messages per sliding second before error 100 (default 50)
  --pacing-disconnect-after N  violations before the connection is closed (default 3)
  --unknown-symbol SYM      answer reqMktData for SYM with error 200 (repeatable)
  --not-subscribed SYM      354 for live data; 10167 + delayed ticks for delayed data (repeatable)
  --delayed-disabled SYM    10186 for SYM (repeatable)
  --client-id-in-use ID     answer startApi with that client id with 326 and close (repeatable)
  --fault MS:ACTION         inject at MS after the client is ready (repeatable): 1100 1101 1102 2110
                            2103 2104 100 disconnect garbage oversize malformed corrupt
  --fault-connections N     faults apply to the first N connections (default 1; 0 = all)
  --outage-ms N             after a disconnect fault, close every new connection at once for N ms
                            (a gateway cut off from its client; default 0)
  --split-writes            write every byte stream in random 1..7-byte pieces
  --coalesce-writes         write each round of messages with a single send
  --blast N                 send N tick messages as fast as possible once subscribed
  --blast-after-subscriptions N  start the blast after N market data subscriptions (default 1)
  --garbage-only            answer every connection with random bytes
  --exit-after-ms N         exit after N ms (default: run until SIGINT/SIGTERM)
  --quiet                   do not print every request
)";
}

}  // namespace mdp::ibkr::fake
