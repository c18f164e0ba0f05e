#include "temp_dir.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace mdp::test {

TempDir::TempDir(const std::string& prefix) {
    std::random_device device;
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto candidate = std::filesystem::temp_directory_path() / (prefix + "-" + std::to_string(device()));
        if (std::filesystem::create_directory(candidate)) {
            path_ = candidate;
            return;
        }
    }
    throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
    if (std::getenv("KEEP_TEST_DIRS") == nullptr) {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
}

std::filesystem::path TempDir::write_file(const std::string& name, const std::string& content) const {
    auto file = path_ / name;  // not const: returned by move
    std::filesystem::create_directories(file.parent_path());
    std::ofstream stream(file, std::ios::binary);
    stream << content;
    if (!stream) {
        throw std::runtime_error("cannot write " + file.string());
    }
    return file;
}

std::string read_text_file(const std::filesystem::path& path) {
    std::ifstream stream(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << stream.rdbuf();
    return buffer.str();
}

namespace {

// A TCP socket bound to 127.0.0.1 on a port the kernel picks; returns {fd, port}.
std::pair<int, unsigned short> bind_loopback_port_zero() {
    const int socket_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof(address);
    if (socket_fd < 0 || ::bind(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        if (socket_fd >= 0) {
            ::close(socket_fd);
        }
        throw std::runtime_error("cannot bind a loopback port");
    }
    return {socket_fd, ntohs(address.sin_port)};
}

}  // namespace

unsigned short candidate_loopback_port() {
    const auto [socket_fd, port] = bind_loopback_port_zero();
    ::close(socket_fd);
    return port;
}

HeldPort::HeldPort(Behaviour behaviour) {
    std::tie(socket_fd_, port_) = bind_loopback_port_zero();
    if (behaviour == Behaviour::silent && ::listen(socket_fd_, 16) != 0) {
        ::close(socket_fd_);
        throw std::runtime_error("cannot listen on a loopback port");
    }
}

HeldPort::~HeldPort() { ::close(socket_fd_); }

}  // namespace mdp::test
