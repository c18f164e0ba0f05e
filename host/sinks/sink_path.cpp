#include "sinks/sink_path.hpp"

#include "sinks/sink.hpp"

#include <system_error>

namespace mdp::sinks {

std::filesystem::path resolve_sink_path(const config::RawSection& settings, const std::string& path) {
    std::filesystem::path given(path);  // not const: returned by move
    if (path == "-" || path == ":memory:" || given.is_absolute() || settings.origin == nullptr ||
        settings.origin->file.empty()) {
        return given;
    }
    return std::filesystem::path(settings.origin->file).parent_path() / given;
}

void create_parent_directories(const std::filesystem::path& file) {
    const std::filesystem::path directory = file.parent_path();
    if (directory.empty()) {
        return;
    }
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error) {
        throw SinkError("cannot create directory " + directory.string() + ": " + error.message());
    }
}

}  // namespace mdp::sinks
