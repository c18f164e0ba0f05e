#include "sinks/jsonl/rotating_file.hpp"

#include "sinks/sink.hpp"
#include "sinks/sink_path.hpp"

#include <mdp/sdk/errno_text.hpp>

#include <cerrno>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mdp::sinks {

namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path, int error_number) {
    throw SinkError(what + " " + path.string() + ": " + sdk::errno_text(error_number));
}

// Makes a rename or new file durable by syncing its directory (best effort: some file
// systems refuse fsync on directories, which costs durability but not correctness).
void sync_directory_of(const std::filesystem::path& file) {
    const std::filesystem::path directory = file.parent_path().empty() ? "." : file.parent_path();
    const int descriptor = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (descriptor >= 0) {
        ::fsync(descriptor);
        ::close(descriptor);
    }
}

}  // namespace

RotatingFile::RotatingFile(RotatingFileOptions options) : options_(std::move(options)) {
    if (options_.max_files == 0) {
        options_.max_files = 1;
    }
}

RotatingFile::~RotatingFile() { close(); }

void RotatingFile::open() {
    if (descriptor_ >= 0) {
        return;
    }
    if (is_stdout()) {
        descriptor_ = STDOUT_FILENO;
        current_bytes_ = 0;
        return;
    }
    create_parent_directories(options_.path);
    const int descriptor = ::open(options_.path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (descriptor < 0) {
        fail("cannot open", options_.path, errno);
    }
    struct stat status {};
    if (::fstat(descriptor, &status) != 0) {
        const int error_number = errno;
        ::close(descriptor);
        fail("cannot stat", options_.path, error_number);
    }
    descriptor_ = descriptor;
    current_bytes_ = static_cast<std::uint64_t>(status.st_size);
    if (options_.fsync == FsyncPolicy::batch) {
        sync_directory_of(options_.path);
    }
}

void RotatingFile::append_lines(std::string_view lines) {
    if (descriptor_ < 0) {
        open();
    }
    while (!lines.empty()) {
        std::size_t length = fitting_prefix(lines);
        if (length == 0) {
            if (current_bytes_ > 0) {
                rotate();
                continue;
            }
            // A line longer than the limit in an empty file: it gets the file to itself.
            const std::size_t end_of_line = lines.find('\n');
            length = end_of_line == std::string_view::npos ? lines.size() : end_of_line + 1;
        }
        write_all(lines.substr(0, length));
        lines.remove_prefix(length);
    }
    if (options_.fsync == FsyncPolicy::batch) {
        sync();
    }
}

std::size_t RotatingFile::fitting_prefix(std::string_view lines) const {
    if (is_stdout() || options_.max_file_bytes == 0 || current_bytes_ + lines.size() <= options_.max_file_bytes) {
        return lines.size();
    }
    const std::uint64_t room = options_.max_file_bytes > current_bytes_ ? options_.max_file_bytes - current_bytes_ : 0;
    if (room == 0) {
        return 0;
    }
    // The last '\n' inside the room ends the longest fitting run of whole lines.
    const std::size_t last_newline = lines.substr(0, static_cast<std::size_t>(room)).rfind('\n');
    return last_newline == std::string_view::npos ? 0 : last_newline + 1;
}

void RotatingFile::write_all(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t written = ::write(descriptor_, bytes.data(), bytes.size());
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail("cannot write", options_.path, errno);
        }
        bytes.remove_prefix(static_cast<std::size_t>(written));
        current_bytes_ += static_cast<std::uint64_t>(written);
    }
}

void RotatingFile::sync() {
    if (is_stdout()) {
        return;  // pipes and terminals cannot be synced
    }
    if (::fdatasync(descriptor_) != 0) {
        fail("cannot sync", options_.path, errno);
    }
}

std::filesystem::path RotatingFile::rotated_path(std::uint32_t index) const {
    if (index == 0) {
        return options_.path;
    }
    return std::filesystem::path(options_.path.string() + "." + std::to_string(index));
}

void RotatingFile::rotate() {
    if (options_.fsync == FsyncPolicy::batch) {
        sync();
    }
    ::close(descriptor_);
    descriptor_ = -1;
    if (options_.max_files == 1) {
        if (::unlink(options_.path.c_str()) != 0 && errno != ENOENT) {
            fail("cannot remove", options_.path, errno);
        }
    }
    // file.(n-2) -> file.(n-1), ..., file -> file.1; rename replaces the oldest kept file.
    for (std::uint32_t index = options_.max_files - 1; index >= 1; --index) {
        const std::filesystem::path from = rotated_path(index - 1);
        if (::rename(from.c_str(), rotated_path(index).c_str()) != 0 && errno != ENOENT) {
            fail("cannot rotate", from, errno);
        }
    }
    open();
}

void RotatingFile::close() noexcept {
    if (descriptor_ < 0) {
        return;
    }
    if (is_stdout()) {
        descriptor_ = -1;
        return;
    }
    if (options_.fsync == FsyncPolicy::batch) {
        ::fdatasync(descriptor_);
    }
    ::close(descriptor_);
    descriptor_ = -1;
}

}  // namespace mdp::sinks
