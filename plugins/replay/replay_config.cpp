#include "replay_config.hpp"

#include <mdp/sdk/config_reader.hpp>

namespace mdp::replay {

namespace {

// CSV for *.csv, JSONL for *.jsonl and *.json: the format key may then be left out.
std::optional<RecordingFormat> format_of_extension(const std::filesystem::path& file) {
    const std::string extension = file.extension().string();
    if (extension == ".csv") {
        return RecordingFormat::csv;
    }
    if (extension == ".jsonl" || extension == ".json") {
        return RecordingFormat::jsonl;
    }
    return std::nullopt;
}

}  // namespace

ReplayConfig parse_replay_config(std::string_view json_text, const sdk::Host& host) {
    const nlohmann::json document = sdk::ConfigReader::parse(json_text);
    sdk::ConfigReader reader(document);
    ReplayConfig config;
    const std::string file = reader.nonempty_string("file");
    config.source.file = host.resolve_path(file);
    config.source.format = reader.choice<RecordingFormat>(
        "format", {{"csv", RecordingFormat::csv}, {"jsonl", RecordingFormat::jsonl}}, format_of_extension(file));
    config.source.bad_rows =
        reader.choice<BadRows>("bad_rows", {{"fail", BadRows::fail}, {"skip", BadRows::skip}}, BadRows::fail);
    reader.accept("provider");
    if (reader.has("provider")) {
        config.source.provider = reader.nonempty_string("provider");
        if (config.source.format != RecordingFormat::jsonl) {
            reader.fail_at("provider", "no provider filter for a CSV recording (only JSONL lines name one)");
        }
    }
    config.speed = reader.number("speed", 0.0, 1e6, config.speed);
    config.loop = reader.boolean("loop", config.loop);
    config.batch_size = static_cast<std::uint32_t>(reader.integer("batch_size", 1, 4096, config.batch_size));
    reader.finish();
    return config;
}

}  // namespace mdp::replay
