#pragma once
// What /proc says about a child process: resident memory and open descriptors, for tests
// that bound what a host may hold on to.

#include <cstddef>
#include <cstdint>

#include <sys/types.h>

namespace mdp::test {

// The process's resident memory (VmRSS) in bytes; throws std::runtime_error when /proc has
// no such process.
[[nodiscard]] std::uint64_t resident_bytes(pid_t pid);

// How many file descriptors the process has open.
[[nodiscard]] std::size_t open_descriptors(pid_t pid);

}  // namespace mdp::test
