// Fuzz target: the host config loader. Any text is either a HostConfig or a ConfigError;
// every other outcome (a crash, a sanitizer report, another exception) is a bug.

#include "config/config_error.hpp"
#include "config/config_loader.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    // A fixed environment: MDP_* overrides are covered by their own tests; the file's
    // directory only resolves relative paths, nothing is read from it.
    static const std::map<std::string, std::string> environment;
    try {
        (void)mdp::config::parse_host_config(text, "fuzz/config.json", environment);
    } catch (const mdp::config::ConfigError&) {
    }
    return 0;
}
