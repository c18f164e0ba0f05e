#include "sinks/sink_registry.hpp"

#include "sinks/jsonl/jsonl_sink.hpp"
#include "sinks/nats/nats_sink.hpp"
#include "sinks/null/null_sink.hpp"
#include "sinks/postgres/postgres_sink.hpp"
#include "sinks/sqlite/sqlite_sink.hpp"

#include <algorithm>
#include <array>

namespace mdp::sinks {

namespace {

// One line per sink type; each entry is defined in the type's own folder.
constexpr std::array kSinkTypes{
    kNullSinkType, kJsonlSinkType, kSqliteSinkType, kPostgresSinkType, kNatsSinkType,
};

std::string quoted_list(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) {
        text += (text.empty() ? "\"" : ", \"") + item + "\"";
    }
    return text;
}

std::unique_ptr<Sink> create_typed_sink(const config::SinkConfig& config, config::JsonNode& node) {
    const auto found = std::find_if(kSinkTypes.begin(), kSinkTypes.end(),
                                    [&](const SinkType& type) { return type.name == config.type; });
    if (found == kSinkTypes.end()) {
        node.fail_at("type", "expected one of " + quoted_list(sink_types()) + ", found \"" + config.type + "\"");
    }
    return found->create(config, node);
}

}  // namespace

std::span<const SinkType> registered_sink_types() { return kSinkTypes; }

std::vector<std::string> sink_types() {
    std::vector<std::string> names;
    names.reserve(kSinkTypes.size());
    for (const SinkType& type : kSinkTypes) {
        names.emplace_back(type.name);
    }
    return names;
}

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
