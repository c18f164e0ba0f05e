#pragma once
// Counts heap allocations of the whole process: allocation_counter.cpp replaces the global
// operator new/delete (allocating with malloc). Link it into a benchmark executable; with
// ENABLE_EXPORTS, plugins loaded by it count too.

#include <cstdint>

namespace mdp::bench {

// [any-thread] Allocations through operator new since the process started.
std::uint64_t allocations_so_far();

}  // namespace mdp::bench
