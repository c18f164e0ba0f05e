#include "app/logging_setup.hpp"

#include "common/json_text.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <string>

namespace mdp::app {

namespace {

// %j: the log message, escaped for a JSON string.
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
   public:
    void format(const spdlog::details::log_msg& message, const std::tm& /*time*/, spdlog::memory_buf_t& out) override {
        std::string escaped;
        common::json_text::append_escaped(escaped, std::string_view(message.payload.data(), message.payload.size()));
        out.append(escaped.data(), escaped.data() + escaped.size());
    }
    [[nodiscard]] std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<JsonMessageFlag>();
    }
};

}  // namespace

void configure_logging(const config::LoggingConfig& config) {
    spdlog::sink_ptr sink;
    if (config.file.empty()) {
        sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>(spdlog::color_mode::automatic);
    } else {
        try {
            sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(config.file, false);
        } catch (const spdlog::spdlog_ex& error) {
            throw std::runtime_error("logging.file: cannot open " + config.file + ": " + error.what());
        }
    }
    auto logger = std::make_shared<spdlog::logger>("mdp", sink);
    if (config.format == "json") {
        auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
        formatter->add_flag<JsonMessageFlag>('j').set_pattern(
            R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","thread":%t,"message":"%j"})");
        logger->set_formatter(std::move(formatter));
    } else {
        logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %v");
    }
    logger->set_level(spdlog::level::from_str(config.level));
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(std::move(logger));
}

}  // namespace mdp::app
