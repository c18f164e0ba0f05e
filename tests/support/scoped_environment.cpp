#include "scoped_environment.hpp"

#include <cstdlib>

namespace mdp::test {

// NOLINTBEGIN(concurrency-mt-unsafe): documented as single-threaded use
ScopedEnvironment::ScopedEnvironment(const std::map<std::string, std::string>& variables) {
    for (const auto& [name, value] : variables) {
        const char* earlier = std::getenv(name.c_str());
        previous_[name] = earlier != nullptr ? std::optional<std::string>(earlier) : std::nullopt;
        ::setenv(name.c_str(), value.c_str(), 1);
    }
}

ScopedEnvironment::~ScopedEnvironment() {
    for (const auto& [name, value] : previous_) {
        if (value) {
            ::setenv(name.c_str(), value->c_str(), 1);
        } else {
            ::unsetenv(name.c_str());
        }
    }
}
// NOLINTEND(concurrency-mt-unsafe)

}  // namespace mdp::test
