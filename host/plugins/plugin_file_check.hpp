#pragma once
// What a plugin file must satisfy before its code runs in the host (StrictModes-style):
//  - it lies inside a configured plugin directory after resolving symlinks;
//  - neither the file nor its directory is writable by group or others, and both are owned
//    by root or by the user the host runs as (unless explicitly allowed for development);
//  - it is hashed (SHA-256) from the same open file descriptor the loader then maps, so a
//    pinned hash cannot be bypassed by swapping the file between check and load.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace mdp::plugins {

struct PluginFilePolicy {
    std::vector<std::filesystem::path> allowed_directories;
    bool allow_insecure_permissions = false;  // development only; logged loudly when used
};

// An opened, checked plugin file. Owns the descriptor; load it through loader_path().
class VerifiedPluginFile {
   public:
    VerifiedPluginFile(int fd, std::filesystem::path real_path, std::string sha256_hex);
    ~VerifiedPluginFile();
    VerifiedPluginFile(const VerifiedPluginFile&) = delete;
    VerifiedPluginFile& operator=(const VerifiedPluginFile&) = delete;

    [[nodiscard]] int fd() const { return fd_; }
    [[nodiscard]] const std::filesystem::path& real_path() const { return real_path_; }
    [[nodiscard]] const std::string& sha256_hex() const { return sha256_hex_; }
    // "/proc/self/fd/<fd>": the exact file that was checked and hashed. Calling it pins the
    // descriptor open for the life of the process: the loader knows a library by this name,
    // and C++ libraries with STB_GNU_UNIQUE symbols are never unmapped, so a reused number
    // would make a later dlopen of another file return the old library.
    [[nodiscard]] std::string loader_path();

   private:
    int fd_;
    bool pinned_ = false;
    std::filesystem::path real_path_;
    std::string sha256_hex_;
};

// Throws PluginLoadError("<file>: <reason>") naming the path and the permission or
// location at fault.
std::unique_ptr<VerifiedPluginFile> verify_plugin_file(const std::filesystem::path& file,
                                                       const PluginFilePolicy& policy);

// Lowercase hex SHA-256 of everything readable from `fd` (from its current offset).
std::string sha256_of_descriptor(int fd);

}  // namespace mdp::plugins
