#pragma once
// The `jsonl` sink: one JSON object per event per line (format in jsonl_event_format.hpp)
// to a file with size-based rotation, or to stdout. Delivery is at-least-once: a batch that
// failed halfway is written again in full by the coordinator's retry, so readers that need
// exactly-once dedupe on (provider, run_id, seq). Its stats' rows_by_table is keyed by
// event type.
//
// Keys: path (required; "-" = stdout), max_file_bytes (0 = no rotation), max_files (files
// kept including the active one), fsync ("none" | "batch").

#include "config/host_config.hpp"
#include "config/json_node.hpp"
#include "sinks/jsonl/rotating_file.hpp"
#include "sinks/sink.hpp"
#include "sinks/sink_type.hpp"
#include "sinks/sink_base.hpp"

#include <string>

namespace mdp::sinks {

struct JsonlSinkOptions {
    RotatingFileOptions file;
};

// Reads and validates the jsonl keys of `node` (a sink object); relative paths resolve
// against the config file's directory. Throws ConfigError naming the JSON path.
JsonlSinkOptions read_jsonl_sink_options(config::JsonNode& node, const config::RawSection& settings);

class JsonlSink final : public SinkBase {
   public:
    JsonlSink(std::string name, JsonlSinkOptions options);

    void open(const SinkContext& context) override;
    void write(std::span<const pipeline::StoreEvent> batch) override;
    void close() override;
    [[nodiscard]] std::string destination() const override;

   private:
    SinkContext context_;
    RotatingFile file_;
    std::string buffer_;  // reused for every batch: no per-event allocation once warm
};

// The "jsonl" entry of the sink registry (sinks/sink_registry.cpp): reads the keys with
// read_jsonl_sink_options() and builds a JsonlSink.
std::unique_ptr<Sink> create_jsonl_sink(const config::SinkConfig& config, config::JsonNode& node);
inline constexpr SinkType kJsonlSinkType{"jsonl", "sinks.md#jsonl", &create_jsonl_sink};

}  // namespace mdp::sinks
