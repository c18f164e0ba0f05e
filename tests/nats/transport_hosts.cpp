#include "transport_hosts.hpp"

#include "host_runner.hpp"
#include "nats_fixture.hpp"

#include <limits>

namespace mdp::test {

SyntheticHostOptions ingest_host_options(const NatsServer& server, double rate_per_symbol,
                                         const nlohmann::json& extra_sinks) {
    SyntheticHostOptions options;
    options.symbols = {"AAPL", "MSFT"};
    options.rate_per_symbol = rate_per_symbol;
    nlohmann::json sinks = nlohmann::json::array({nats_sink_object(server.url(), {{"circuit_cooldown_ms", 300}})});
    for (const auto& sink : extra_sinks) {
        sinks.push_back(sink);
    }
    options.store_overrides = {{"sinks", sinks}};
    return options;
}

SyntheticHostOptions store_host_options(const NatsServer& server, const nlohmann::json& sink,
                                        const nlohmann::json& provider_config) {
    nlohmann::json config = {{"servers", {server.url()}}, {"stream", kTestStream}, {"consumer", kTestConsumer},
                             {"ack_wait_ms", 2000},       {"fetch_wait_ms", 200},  {"keep_redelivery_delay_ms", 200}};
    config.merge_patch(provider_config);
    SyntheticHostOptions options;
    options.sink = sink;
    options.queue_capacity = 20000;
    options.batch_size = 2000;
    options.config_patch = {{"providers", nlohmann::json::array({{{"name", "store"},
                                                                  {"plugin", "nats"},
                                                                  {"restart", {{"stop_timeout_ms", 10000}}},
                                                                  {"config", config}}})}};
    return options;
}

nlohmann::json consumer_state(const NatsServer& server, const std::string& consumer) {
    const nlohmann::json jsz = server.jsz();
    for (const auto& account : jsz.value("account_details", nlohmann::json::array())) {
        for (const auto& stream : account.value("stream_detail", nlohmann::json::array())) {
            for (const auto& entry : stream.value("consumer_detail", nlohmann::json::array())) {
                if (entry.value("name", "") == consumer) {
                    return entry;
                }
            }
        }
    }
    return nullptr;
}

std::uint64_t unacknowledged(const NatsServer& server) {
    const nlohmann::json state = consumer_state(server);
    if (state.is_null()) {
        return std::numeric_limits<std::uint64_t>::max();  // unknown, never "all acknowledged"
    }
    return state["num_pending"].get<std::uint64_t>() + state["num_ack_pending"].get<std::uint64_t>();
}

std::uint64_t store_counter(const nlohmann::json& status, const std::string& name) {
    const std::string detail = provider_in_status(status, "store").value("detail", "");
    const std::string key = name + " ";
    const std::size_t at = detail.find(key);
    if (at == std::string::npos) {
        return 0;  // no report with counters yet
    }
    return std::stoull(detail.substr(at + key.size()));
}

}  // namespace mdp::test
