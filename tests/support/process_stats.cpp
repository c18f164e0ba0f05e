#include "process_stats.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace mdp::test {

std::uint64_t resident_bytes(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::stoull(line.substr(6)) * 1024;  // the kernel reports kB
        }
    }
    throw std::runtime_error("no VmRSS for process " + std::to_string(pid));
}

std::size_t open_descriptors(pid_t pid) {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry :
         std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
        ++count;
    }
    return count;
}

}  // namespace mdp::test
