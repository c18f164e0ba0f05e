#include "sinks/jsonl/jsonl_sink.hpp"

#include "config/host_config.hpp"
#include "sinks/event_fields.hpp"
#include "sinks/jsonl/jsonl_event_format.hpp"
#include "sinks/sink_path.hpp"

#include <limits>

namespace mdp::sinks {

JsonlSinkOptions read_jsonl_sink_options(config::JsonNode& node, const config::RawSection& settings) {
    JsonlSinkOptions options;
    const std::string path = node.get_string("path");
    if (path.empty()) {
        node.fail_at("path", "expected a file path or \"-\" for stdout, found an empty string");
    }
    options.file.path = resolve_sink_path(settings, path);
    options.file.max_file_bytes =
        static_cast<std::uint64_t>(node.get_int("max_file_bytes", 0, std::numeric_limits<std::int64_t>::max(), 0));
    options.file.max_files = static_cast<std::uint32_t>(node.get_int("max_files", 1, 10000, 5));
    const std::string fsync = node.get_enum("fsync", {"none", "batch"}, std::string("none"));
    options.file.fsync = fsync == "batch" ? FsyncPolicy::batch : FsyncPolicy::none;
    if (path == "-" && options.file.max_file_bytes > 0) {
        node.fail_at("max_file_bytes", "expected 0 (no rotation) when path is \"-\" (stdout)");
    }
    return options;
}

JsonlSink::JsonlSink(std::string name, JsonlSinkOptions options)
    : SinkBase(std::move(name), std::string(kJsonlSinkType.name)), file_(std::move(options.file)) {}

std::string JsonlSink::destination() const {
    return file_.is_stdout() ? std::string("stdout")
                             : std::filesystem::absolute(file_.path()).lexically_normal().string();
}

void JsonlSink::open(const SinkContext& context) {
    context_ = context;
    file_.open();
}

void JsonlSink::write(std::span<const pipeline::StoreEvent> batch) {
    buffer_.clear();
    for (const auto& record : batch) {
        append_event_line(buffer_, record, stored_identity(context_, record));
    }
    try {
        file_.append_lines(buffer_);
    } catch (const SinkError&) {
        stats_recorder().add_error("io");
        throw;
    }
    stats_recorder().add_rows_by_type(count_event_types(batch));
}

void JsonlSink::close() { file_.close(); }

std::unique_ptr<Sink> create_jsonl_sink(const config::SinkConfig& config, config::JsonNode& node) {
    return std::make_unique<JsonlSink>(config.name, read_jsonl_sink_options(node, config.settings));
}

}  // namespace mdp::sinks
