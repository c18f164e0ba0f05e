// mdp plugin SDK — the one error type for a rejected config, for plugins and the host alike.
//
// A ConfigProblem carries, as data, the JSON path of the value it is about (relative to the
// object being read: "symbols[2]", "reconnect.max_delay_ms", "" for the object itself) and
// what was wrong with it ("expected an integer from 1 to 65535, found 70000"). Thrown from a
// provider's constructor, the SDK hands both parts to the host through the
// "mdp.host.config-problem/1" extension, and the host prefixes the config file and the
// provider's own path:
//   mdp.json: providers[0].config.symbols[2]: expected a symbol of 1 to 31 characters, found 7
#ifndef MDP_SDK_CONFIG_PROBLEM_HPP
#define MDP_SDK_CONFIG_PROBLEM_HPP

#include <stdexcept>
#include <string>

namespace mdp::sdk {

class ConfigProblem : public std::runtime_error {
   public:
    ConfigProblem(std::string path, std::string message)
        : std::runtime_error(path.empty() ? message : path + ": " + message), path_(std::move(path)),
          message_(std::move(message)) {}

    // JSON path of the offending value; "" = the object being read as a whole.
    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    // What was expected and found, without the path.
    [[nodiscard]] const std::string& message() const noexcept { return message_; }

   private:
    std::string path_;
    std::string message_;
};

// "<path>.<key>" ("key" at the top level).
[[nodiscard]] inline std::string config_path_of(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
}

// "<path>[<index>]".
[[nodiscard]] inline std::string config_path_of(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

}  // namespace mdp::sdk

#endif  // MDP_SDK_CONFIG_PROBLEM_HPP
