#include "plugins/plugin_file_check.hpp"

#include "plugins/plugin_library.hpp"

#include <mdp/sdk/errno_text.hpp>
#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <memory>
#include <utility>

namespace mdp::plugins {

namespace {

[[noreturn]] void refuse(const std::filesystem::path& file, const std::string& reason) {
    throw PluginLoadError(file.string() + ": " + reason);
}

std::string octal_mode(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof(text), "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

// Checks owner and group/other write bits of `path`'s stat `info`.
void check_permissions(const std::filesystem::path& path, const struct stat& info, const char* what,
                       const PluginFilePolicy& policy) {
    std::string problem;
    if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        problem = std::string(what) + " is writable by " + ((info.st_mode & S_IWOTH) != 0 ? "others" : "group") +
                  " (mode " + octal_mode(info.st_mode) + "; fix with chmod go-w " + path.string() + ")";
    } else if (info.st_uid != 0 && info.st_uid != ::geteuid()) {
        problem = std::string(what) + " is owned by uid " + std::to_string(info.st_uid) +
                  ", neither root nor the host's user (uid " + std::to_string(::geteuid()) + ")";
    }
    if (problem.empty()) {
        return;
    }
    if (policy.allow_insecure_permissions) {
        spdlog::warn("{}: loading although {} (plugin_security.allow_insecure_permissions is on)", path.string(),
                     problem);
        return;
    }
    refuse(path, "refusing to load: " + problem);
}

// Closes a descriptor on scope exit unless released.
struct UniqueFd {
    int fd = -1;
    ~UniqueFd() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
    int release() { return std::exchange(fd, -1); }
};

bool is_inside(const std::filesystem::path& file, const std::filesystem::path& directory) {
    const auto relative = file.lexically_relative(directory);
    return !relative.empty() && *relative.begin() != "..";
}

}  // namespace

VerifiedPluginFile::VerifiedPluginFile(int fd, std::filesystem::path real_path, std::string sha256_hex)
    : fd_(fd), real_path_(std::move(real_path)), sha256_hex_(std::move(sha256_hex)) {}

VerifiedPluginFile::~VerifiedPluginFile() {
    if (!pinned_) {
        ::close(fd_);
    }
}

std::string VerifiedPluginFile::loader_path() {
    pinned_ = true;
    return "/proc/self/fd/" + std::to_string(fd_);
}

std::string sha256_of_descriptor(int fd) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr);
    std::array<unsigned char, 65536> buffer{};
    ssize_t count = 0;
    while ((count = ::read(fd, buffer.data(), buffer.size())) > 0) {
        EVP_DigestUpdate(context.get(), buffer.data(), static_cast<std::size_t>(count));
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_DigestFinal_ex(context.get(), digest.data(), &length);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int index = 0; index < length; ++index) {
        hex += kHex[digest[index] >> 4];
        hex += kHex[digest[index] & 0xF];
    }
    return hex;
}

std::unique_ptr<VerifiedPluginFile> verify_plugin_file(const std::filesystem::path& file,
                                                       const PluginFilePolicy& policy) {
    std::error_code error;
    const auto real_path = std::filesystem::canonical(file, error);
    if (error) {
        refuse(file, "no such plugin file");
    }
    bool inside = policy.allowed_directories.empty();
    for (const auto& directory : policy.allowed_directories) {
        const auto real_directory = std::filesystem::canonical(directory, error);
        inside = inside || (!error && is_inside(real_path, real_directory));
    }
    if (!inside) {
        refuse(file, "refusing to load: it resolves to " + real_path.string() +
                         ", outside every plugin directory (a symlink leaving plugin_path?)");
    }
    UniqueFd opened{::open(real_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
    if (opened.fd < 0) {
        refuse(file, "cannot open: " + sdk::errno_text(errno));
    }
    struct stat file_info {};
    struct stat directory_info {};
    if (::fstat(opened.fd, &file_info) != 0 || !S_ISREG(file_info.st_mode)) {
        refuse(file, "not a regular file");
    }
    if (::stat(real_path.parent_path().c_str(), &directory_info) != 0) {
        refuse(real_path.parent_path(), "cannot stat the plugin directory");
    }
    check_permissions(real_path, file_info, "the plugin file", policy);
    check_permissions(real_path.parent_path(), directory_info, "its directory", policy);
    std::string digest = sha256_of_descriptor(opened.fd);
    ::lseek(opened.fd, 0, SEEK_SET);
    return std::make_unique<VerifiedPluginFile>(opened.release(), real_path, std::move(digest));
}

}  // namespace mdp::plugins
