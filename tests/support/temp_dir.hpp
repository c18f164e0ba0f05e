#pragma once
// A fresh directory under the system temp dir, removed with everything in it on destruction
// (kept when MDP_KEEP_TEST_DIRS is set, for debugging).

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

// A TCP port on 127.0.0.1 that was free a moment ago. Another process may take it before
// the caller binds it: only for a server that cannot bind port 0 itself (PostgreSQL), and
// then retried on collision. Everything else binds port 0 and reports the port it got.
unsigned short candidate_loopback_port();

// A loopback TCP port on which a connection is refused for as long as this object lives: a
// socket bound to it that never listens, so no other process can take the port meanwhile.
class RefusingPort {
   public:
    RefusingPort();
    ~RefusingPort();
    RefusingPort(const RefusingPort&) = delete;
    RefusingPort& operator=(const RefusingPort&) = delete;

    [[nodiscard]] unsigned short port() const { return port_; }

   private:
    int socket_fd_ = -1;
    unsigned short port_ = 0;
};

}  // namespace mdp::test
