#pragma once
// Environment variables set for one scope: each is set on construction and restored (to its
// earlier value, or unset) on destruction, however the scope ends, so a failing test case
// leaves nothing behind for the next one in the same process. Not thread-safe (setenv):
// use it before the case starts threads that read the environment.

#include <map>
#include <optional>
#include <string>

namespace mdp::test {

class ScopedEnvironment {
   public:
    explicit ScopedEnvironment(const std::map<std::string, std::string>& variables);
    ~ScopedEnvironment();
    ScopedEnvironment(const ScopedEnvironment&) = delete;
    ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

   private:
    std::map<std::string, std::optional<std::string>> previous_;  // nullopt: was unset
};

}  // namespace mdp::test
