#include "sinks/sink_factory.hpp"

#include "config/env_overrides.hpp"
#include "sinks/jsonl_sink.hpp"
#include "sinks/nats_sink.hpp"
#include "sinks/null_sink.hpp"
#include "sinks/postgres_sink.hpp"
#include "sinks/sqlite_sink.hpp"

namespace mdp::sinks {

namespace {

std::string quoted_list(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) {
        text += (text.empty() ? "\"" : ", \"") + item + "\"";
    }
    return text;
}

std::unique_ptr<Sink> create_typed_sink(const config::SinkConfig& config, config::JsonNode& node) {
    const std::string& type = config.type;
    if (type == "null") {
        return std::make_unique<NullSink>(config.name,
                                          std::chrono::milliseconds(node.get_int("write_latency_ms", 0, 60'000, 0)));
    }
    if (type == "jsonl") {
        return std::make_unique<JsonlSink>(config.name, read_jsonl_sink_options(node, config.settings));
    }
    if (type == "sqlite") {
        return std::make_unique<SqliteSink>(config.name, read_sqlite_sink_options(node, config.settings));
    }
    if (type == "postgres") {
        return std::make_unique<PostgresSink>(config.name, read_postgres_sink_options(node));
    }
    if (type == "nats") {
        return std::make_unique<NatsSink>(config.name,
                                          read_nats_sink_options(node, config.settings, config::mdp_environment()));
    }
    node.fail_at("type", "expected one of " + quoted_list(sink_types()) + ", found \"" + type + "\"");
}

}  // namespace

std::vector<std::string> sink_types() { return {"null", "jsonl", "sqlite", "postgres", "nats"}; }

std::unique_ptr<Sink> create_sink(const config::SinkConfig& config) {
    config::JsonNode node = config.settings.node();
    // The host reads these two; the sink types read the rest.
    node.accept("type");
    node.accept("name");
    std::unique_ptr<Sink> sink = create_typed_sink(config, node);
    node.finish();
    return sink;
}

}  // namespace mdp::sinks
