#include "ibkr_config.hpp"

#include "codec/server_versions.hpp"
#include "codec/tick_types.hpp"
#include "config_problem.hpp"

#include <mdp/sdk/config_reader.hpp>

#include <limits>
#include <set>

namespace mdp::ibkr {

namespace {

using nlohmann::json;

int parse_market_data_type(sdk::ConfigReader& root) {
    const json* value = root.member("market_data_type");
    if (value == nullptr) {
        return 1;
    }
    if (value->is_number_integer()) {
        const auto number = value->get<std::int64_t>();
        if (number >= 1 && number <= 4) {
            return static_cast<int>(number);
        }
    } else if (value->is_string()) {
        const std::string name = value->get<std::string>();
        const char* names[] = {"live", "frozen", "delayed", "delayed_frozen"};
        for (int index = 0; index < 4; ++index) {
            if (name == names[index]) {
                return index + 1;
            }
        }
    }
    root.fail_at("market_data_type",
                 "1 (live), 2 (frozen), 3 (delayed), 4 (delayed-frozen) or \"live\", \"frozen\", \"delayed\", "
                 "\"delayed_frozen\"",
                 *value);
}

void parse_generic_ticks(sdk::ConfigReader& root, IbkrConfig& config) {
    const json* value = root.member("generic_ticks");
    if (value == nullptr) {
        return;
    }
    // Accept "233,236" or ["233", 236].
    std::string list;
    if (value->is_string()) {
        list = value->get<std::string>();
    } else if (value->is_array()) {
        for (const auto& entry : *value) {
            if (!entry.is_string() && !entry.is_number_integer()) {
                root.fail_at("generic_ticks", "a list of generic tick numbers such as \"233,236\"", *value);
            }
            list += (list.empty() ? "" : ",") + (entry.is_string() ? entry.get<std::string>() : entry.dump());
        }
    } else {
        root.fail_at("generic_ticks", "a list of generic tick numbers such as \"233,236\"", *value);
    }
    for (const char c : list) {
        if (!(c >= '0' && c <= '9') && c != ',') {
            root.fail_at("generic_ticks", "comma-separated generic tick numbers such as \"233,236\"", *value);
        }
    }
    config.generic_ticks = list;
}

void parse_reconnect(sdk::ConfigReader& root, IbkrConfig& config) {
    const json* value = root.member("reconnect");
    if (value == nullptr) {
        return;
    }
    sdk::ConfigReader reader(*value, "reconnect");
    ReconnectConfig& reconnect = config.reconnect;
    reconnect.initial_delay_ms = reader.integer("initial_delay_ms", 1, 3'600'000, reconnect.initial_delay_ms);
    reconnect.max_delay_ms = reader.integer("max_delay_ms", 1, 3'600'000, reconnect.max_delay_ms);
    reconnect.jitter = reader.number("jitter", 0.0, 1.0, reconnect.jitter);
    reconnect.max_attempts =
        static_cast<std::uint64_t>(reader.integer("max_attempts", 0, std::numeric_limits<std::int64_t>::max(), 0));
    reader.finish();
    if (reconnect.max_delay_ms < reconnect.initial_delay_ms) {
        reader.fail_at("max_delay_ms",
                       "a value >= initial_delay_ms (" + std::to_string(reconnect.initial_delay_ms) + ")",
                       value->at("max_delay_ms"));
    }
}

void parse_real_time_bars(sdk::ConfigReader& root, IbkrConfig& config) {
    const json* value = root.member("real_time_bars");
    if (value == nullptr) {
        return;
    }
    if (value->is_boolean()) {
        config.real_time_bars.enabled = value->get<bool>();
        return;
    }
    sdk::ConfigReader reader(*value, "real_time_bars");
    RealTimeBarsConfig& bars = config.real_time_bars;
    bars.enabled = reader.boolean("enabled", true);
    bars.what_to_show = reader.one_of("what_to_show", {"TRADES", "MIDPOINT", "BID", "ASK"}, bars.what_to_show);
    bars.use_rth = reader.boolean("use_rth", bars.use_rth);
    reader.finish();
}

void parse_contracts(sdk::ConfigReader& root, IbkrConfig& config) {
    const json* value = root.member("contracts");
    if (value == nullptr || !value->is_array() || value->empty()) {
        if (value == nullptr) {
            root.fail_at("contracts", "a non-empty array of contracts, found nothing (the key is required)");
        }
        root.fail_at("contracts", "a non-empty array of contracts", *value);
    }
    std::set<std::string> names;
    for (std::size_t index = 0; index < value->size(); ++index) {
        ContractConfig contract = parse_contract((*value)[index], index);
        if (!names.insert(contract.display_name).second) {
            throw ConfigProblem(sdk::config_path_of("contracts", index),
                                "expected a unique display name, \"" + contract.display_name +
                                    "\" is used twice (set \"name\" to tell them apart)");
        }
        config.contracts.push_back(std::move(contract));
    }
}

}  // namespace

bool IbkrConfig::uses_rt_volume() const {
    std::string_view list = generic_ticks;
    while (!list.empty()) {
        const std::size_t comma = list.find(',');
        if (list.substr(0, comma) == tick::kRtVolumeGenericTick) {
            return true;
        }
        if (comma == std::string_view::npos) {
            break;
        }
        list.remove_prefix(comma + 1);
    }
    return false;
}

IbkrConfig parse_ibkr_config(std::string_view json_text) {
    const json document = sdk::ConfigReader::parse(json_text);
    sdk::ConfigReader root(document);
    IbkrConfig config;
    config.host = root.nonempty_string("host", config.host);
    config.port = static_cast<std::uint16_t>(root.integer("port", 1, 65535, config.port));
    config.client_id =
        static_cast<int>(root.integer("client_id", 0, std::numeric_limits<int>::max(), config.client_id));
    config.market_data_type = parse_market_data_type(root);
    config.connect_timeout_ms = root.integer("connect_timeout_ms", 1, 600'000, config.connect_timeout_ms);
    parse_reconnect(root, config);
    config.max_market_data_lines = static_cast<int>(root.integer("max_market_data_lines", 1, 100'000, 100));
    config.max_messages_per_second = root.number("max_messages_per_second", 1.0, 50.0, 45.0);
    parse_generic_ticks(root, config);
    config.delayed_fallback = root.boolean("delayed_fallback", false);
    parse_real_time_bars(root, config);
    config.buffer_capacity = static_cast<std::size_t>(root.integer("buffer_capacity", 16, 10'000'000, 16384));
    config.max_quote_hold_ms = root.integer("max_quote_hold_ms", 1, 3'600'000, 1000);
    config.min_server_version =
        static_cast<int>(root.integer("min_server_version", server_version::kMinSupported,
                                      server_version::kMaxSupported, server_version::kMinSupported));
    config.max_server_version =
        static_cast<int>(root.integer("max_server_version", server_version::kMinSupported,
                                      server_version::kMaxSupported, server_version::kMaxSupported));
    config.optional_capabilities = root.string("optional_capabilities", std::string());
    parse_contracts(root, config);
    root.finish();
    if (config.max_server_version < config.min_server_version) {
        root.fail_at("max_server_version",
                     "a value >= min_server_version (" + std::to_string(config.min_server_version) + ")",
                     document.at("max_server_version"));
    }
    return config;
}

IbkrConfig owned_by_shard(IbkrConfig config, const sdk::Shard& shard) {
    std::erase_if(config.contracts, [&](const ContractConfig& contract) { return !shard.owns(contract.display_name); });
    config.client_id = static_cast<int>(
        std::min<std::int64_t>(std::numeric_limits<int>::max(), std::int64_t{config.client_id} + shard.index()));
    return config;
}

IbkrConfig parse_ibkr_config_for(std::string_view json_text, const sdk::Host& host) {
    IbkrConfig config = parse_ibkr_config(json_text);
    return owned_by_shard(std::move(config), sdk::Shard(host));
}

}  // namespace mdp::ibkr
