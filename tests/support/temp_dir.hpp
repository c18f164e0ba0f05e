#pragma once
// A fresh directory under the system temp dir, removed with everything in it on destruction
// (kept when KEEP_TEST_DIRS is set, for debugging).

#include <filesystem>
#include <string>

namespace mdp::test {

class TempDir {
   public:
    explicit TempDir(const std::string& prefix = "mdp-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    [[nodiscard]] std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
    // Writes `content` to a file in this directory and returns its path.
    std::filesystem::path write_file(const std::string& name, const std::string& content) const;

   private:
    std::filesystem::path path_;
};

// Reads a whole file ("" when missing).
std::string read_text_file(const std::filesystem::path& path);

// A TCP port on 127.0.0.1 that was free a moment ago.
unsigned short free_loopback_port();

}  // namespace mdp::test
