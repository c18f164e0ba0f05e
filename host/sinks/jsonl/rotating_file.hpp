#pragma once
// An append-only text file that rotates by size: when the next line would take `file` past
// max_file_bytes it becomes `file.1` (`file.1` becomes `file.2`, ...), keeping at most
// max_files files in total, and a new `file` starts. Lines are never split across files; a
// single line longer than the limit gets a file of its own. The path "-" means stdout
// (never rotated, never closed). Used by one thread at a time.

#include <cstdint>
#include <filesystem>
#include <string_view>

namespace mdp::sinks {

enum class FsyncPolicy {
    none,  // leave flushing to the OS: survives a crash of the process, not of the machine
    batch,  // fdatasync after every append_lines() call (and before a rotation)
};

struct RotatingFileOptions {
    std::filesystem::path path;  // "-" = stdout
    std::uint64_t max_file_bytes = 0;  // 0 = never rotate
    std::uint32_t max_files = 5;  // files kept including the active one, >= 1
    FsyncPolicy fsync = FsyncPolicy::none;
};

class RotatingFile {
   public:
    explicit RotatingFile(RotatingFileOptions options);
    ~RotatingFile();
    RotatingFile(const RotatingFile&) = delete;
    RotatingFile& operator=(const RotatingFile&) = delete;

    // Opens (creating parent directories and the file) for appending. Throws SinkError.
    void open();
    // Appends complete '\n'-terminated lines, rotating between lines as needed. Throws
    // SinkError on any write, sync or rotation failure; lines before the failure may have
    // been written.
    void append_lines(std::string_view lines);
    // Closes the file (after a sync under FsyncPolicy::batch). Idempotent; never throws.
    void close() noexcept;

    [[nodiscard]] std::uint64_t current_file_bytes() const { return current_bytes_; }

    [[nodiscard]] bool is_stdout() const { return options_.path == "-"; }
    [[nodiscard]] const std::filesystem::path& path() const { return options_.path; }

   private:
    [[nodiscard]] std::filesystem::path rotated_path(std::uint32_t index) const;
    // Length of the longest prefix of whole lines of `lines` that still fits the current file.
    [[nodiscard]] std::size_t fitting_prefix(std::string_view lines) const;
    void write_all(std::string_view bytes);
    void sync();
    void rotate();

    RotatingFileOptions options_;
    int descriptor_ = -1;
    std::uint64_t current_bytes_ = 0;
};

}  // namespace mdp::sinks
