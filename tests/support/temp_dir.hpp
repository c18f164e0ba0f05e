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

// A TCP port on 127.0.0.1 that was free a moment ago. Another process may take it before
// the caller binds it: only for a server that cannot bind port 0 itself (PostgreSQL), and
// then retried on collision. Everything else binds port 0 and reports the port it got.
unsigned short candidate_loopback_port();

// A loopback TCP port held for as long as this object lives, so no other process can take
// it meanwhile. `refusing`: bound, never listening — a connection is refused. `silent`:
// listening, never accepting — a connection completes in the kernel's backlog and nobody
// ever answers (also: a port that is taken).
class HeldPort {
   public:
    enum class Behaviour { refusing, silent };
    explicit HeldPort(Behaviour behaviour);
    ~HeldPort();
    HeldPort(const HeldPort&) = delete;
    HeldPort& operator=(const HeldPort&) = delete;

    [[nodiscard]] unsigned short port() const { return port_; }

   private:
    int socket_fd_ = -1;
    unsigned short port_ = 0;
};

// Shorthands.
struct RefusingPort : HeldPort {
    RefusingPort() : HeldPort(Behaviour::refusing) {}
};
struct SilentPort : HeldPort {
    SilentPort() : HeldPort(Behaviour::silent) {}
};

}  // namespace mdp::test
