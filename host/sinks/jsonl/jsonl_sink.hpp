#pragma once
// The `jsonl` sink: one JSON object per event per line (format in jsonl_event_format.hpp)
// to a file with size-based rotation, or to stdout. Delivery is at-least-once: a batch that
// failed halfway is written again in full by the coordinator's retry, so readers that need
// exactly-once dedupe on (provider, run_id, seq).
//
// Keys: path (required; "-" = stdout), max_file_bytes (0 = no rotation), max_files (files
// kept including the active one), fsync ("none" | "batch").

#include "config/host_config.hpp"
#include "config/json_node.hpp"
#include "sinks/jsonl/rotating_file.hpp"
#include "sinks/sink.hpp"
#include "sinks/sink_type.hpp"
#include "sinks/sink_stats_recorder.hpp"

#include <string>

namespace mdp::sinks {

struct JsonlSinkOptions {
    RotatingFileOptions file;
};

// Reads and validates the jsonl keys of `node` (a sink object); relative paths resolve
// against the config file's directory. Throws ConfigError naming the JSON path.
JsonlSinkOptions read_jsonl_sink_options(config::JsonNode& node, const config::RawSection& settings);

class JsonlSink final : public Sink {
   public:
    JsonlSink(std::string name, JsonlSinkOptions options);

    [[nodiscard]] const std::string& name() const override { return name_; }
    [[nodiscard]] const std::string& type() const override { return type_; }
    void open(const SinkContext& context) override;
    void write(std::span<const pipeline::StoreEvent> batch) override;
    void close() override;
    [[nodiscard]] SinkStats stats() const override { return stats_.snapshot(); }
    [[nodiscard]] std::string destination() const override;

   private:
    std::string name_;
    std::string type_ = "jsonl";
    SinkContext context_;
    RotatingFile file_;
    std::string buffer_;  // reused for every batch: no per-event allocation once warm
    SinkStatsRecorder stats_;  // rows_by_table is keyed by event type
};

// The "jsonl" entry of the sink registry (sinks/sink_registry.cpp): reads the keys with
// read_jsonl_sink_options() and builds a JsonlSink.
std::unique_ptr<Sink> create_jsonl_sink(const config::SinkConfig& config, config::JsonNode& node);
inline constexpr SinkType kJsonlSinkType{"jsonl", "sinks.md#jsonl", &create_jsonl_sink};

}  // namespace mdp::sinks
