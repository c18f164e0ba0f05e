#pragma once
// The one error type for bad configuration. Its message always names where the problem is
// (file, and JSON path or line/column) and what was expected.

#include <stdexcept>
#include <string>

namespace mdp::config {

class ConfigError : public std::runtime_error {
   public:
    ConfigError(const std::string& file, const std::string& location, const std::string& message)
        : std::runtime_error(format(file, location, message)) {}

   private:
    static std::string format(const std::string& file, const std::string& location, const std::string& message) {
        std::string text = file.empty() ? std::string("config") : file;
        if (!location.empty()) {
            text += ": " + location;
        }
        return text + ": " + message;
    }
};

}  // namespace mdp::config
