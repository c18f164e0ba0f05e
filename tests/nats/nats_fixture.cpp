#include "nats_fixture.hpp"

#include "sinks/sink_registry.hpp"

namespace mdp::test {

bool nats_server_available() { return NatsServer::find_binary().has_value(); }

nlohmann::json nats_sink_object(const std::string& url, const nlohmann::json& extra) {
    nlohmann::json object = {{"type", "nats"},
                             {"name", "bus"},
                             {"servers", {url}},
                             {"stream", kTestStream},
                             {"publish_timeout_ms", 1000},
                             {"connect_attempts", 2}};
    if (extra.is_object()) {
        object.merge_patch(extra);
    }
    return object;
}

std::unique_ptr<sinks::Sink> make_nats_sink(const nlohmann::json& object) {
    return sinks::create_sink(make_sink_config(object));
}

}  // namespace mdp::test
