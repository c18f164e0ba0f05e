#pragma once
// What a test does when this machine lacks something it needs (root, /dev/full, ...): on a
// developer machine it warns and returns (the case passes, saying why it did nothing); with
// CI set in the environment a skip is a failure, so CI never reports green for a check it
// did not run.
//
//   if (::geteuid() != 0) { MDP_SKIP_UNLESS_CI("not root: cannot chown a file"); }

#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

namespace mdp::test {

// True when skips must fail: the CI variable is set and not empty or "0"/"false".
[[nodiscard]] inline bool skips_are_failures() {
    const char* ci = std::getenv("CI");  // NOLINT(concurrency-mt-unsafe): read before any thread starts
    if (ci == nullptr) {
        return false;
    }
    const std::string value(ci);
    return !value.empty() && value != "0" && value != "false";
}

}  // namespace mdp::test

// Leaves the test case: a warning outside CI, a failure under CI.
#define MDP_SKIP_UNLESS_CI(reason)                                          \
    do {                                                                    \
        if (mdp::test::skips_are_failures()) {                              \
            FAIL("skipped, and CI is set (a skip fails CI): " << (reason)); \
        }                                                                   \
        WARN("skipped: " << (reason));                                      \
        return;                                                             \
    } while (false)
