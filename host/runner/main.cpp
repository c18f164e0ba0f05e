// mdp-provider-runner: runs one provider plugin instance out of the host's process, so that a
// plugin that crashes takes only this process down (docs/isolation.md). Started by mdp-host
// only, with the control channel and the event ring at the descriptors runner_protocol.hpp
// names:
//
//   mdp-provider-runner --plugin FILE --sha256 HEX --plugin-dir DIR... [--allow-insecure-permissions]
//
// It loads FILE with the host's own loader checks (inside a plugin directory, permissions,
// ABI) and refuses it unless its SHA-256 is the one the host verified, then answers the
// host's control messages (runner_session.hpp) until told to destroy the instance.
//
//   mdp-provider-runner --describe --plugin FILE --plugin-dir DIR... [--allow-insecure-permissions]
//
// loads FILE the same way, prints what it says about itself as one line of JSON and exits
// (plugins/plugin_description.hpp): how the host reads plugin files without running their
// load-time code itself.

#include "isolation/event_ring.hpp"
#include "isolation/message_channel.hpp"
#include "plugins/plugin_description.hpp"
#include "isolation/runner_protocol.hpp"
#include "plugins/plugin_library.hpp"
#include "runner/runner_session.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct RunnerArguments {
    std::string plugin;
    std::string sha256;
    mdp::plugins::PluginFilePolicy policy;
    bool describe = false;
};

// Throws std::invalid_argument naming the argument at fault.
RunnerArguments parse_arguments(int argc, char** argv) {
    RunnerArguments parsed;
    const std::vector<std::string_view> words(argv + 1, argv + argc);
    for (std::size_t index = 0; index < words.size(); ++index) {
        const std::string_view word = words[index];
        if (word == "--allow-insecure-permissions") {
            parsed.policy.allow_insecure_permissions = true;
            continue;
        }
        if (word == "--describe") {
            parsed.describe = true;
            continue;
        }
        if (index + 1 >= words.size()) {
            throw std::invalid_argument(std::string(word) + ": expected a value after it");
        }
        const std::string value(words[++index]);
        if (word == "--plugin") {
            parsed.plugin = value;
        } else if (word == "--sha256") {
            parsed.sha256 = value;
        } else if (word == "--plugin-dir") {
            parsed.policy.allowed_directories.emplace_back(value);
        } else {
            throw std::invalid_argument(std::string(word) + ": unknown argument");
        }
    }
    if (parsed.plugin.empty() || (parsed.sha256.empty() && !parsed.describe)) {
        throw std::invalid_argument("--plugin and --sha256 (or --describe) are required");
    }
    return parsed;
}

// Loads the plugin as the host does; "" or the reason it cannot be used.
std::shared_ptr<mdp::plugins::PluginLibrary> load_plugin(const RunnerArguments& arguments, std::string& error) {
    try {
        auto library = mdp::plugins::PluginLibrary::load(arguments.plugin, arguments.policy);
        if (library->info().sha256 != arguments.sha256) {
            error = arguments.plugin + ": SHA-256 " + library->info().sha256 + " is not the host's verified " +
                    arguments.sha256 + " (the file changed in between)";
            return nullptr;
        }
        return library;
    } catch (const std::exception& failure) {
        error = failure.what();
        return nullptr;
    }
}

// --describe: one line of JSON on stdout; 0 when loaded, 1 when the loader refused the file.
int describe(const RunnerArguments& arguments) {
    int code = 0;
    std::string line;
    try {
        line = mdp::plugins::description_json(*mdp::plugins::PluginLibrary::load(arguments.plugin, arguments.policy));
    } catch (const std::exception& failure) {
        line = mdp::plugins::refusal_json(failure.what());
        code = 1;
    }
    std::fputs((line + "\n").c_str(), stdout);
    std::fflush(stdout);
    return code;
}

}  // namespace

int main(int argc, char** argv) {
    // Log lines of the loader itself (e.g. the insecure-permissions warning) go to stderr, which
    // the runner shares with the host; the plugin's own lines go over the channel.
    spdlog::set_default_logger(spdlog::stderr_logger_st("mdp-provider-runner"));
    RunnerArguments arguments;
    try {
        arguments = parse_arguments(argc, argv);
    } catch (const std::invalid_argument& bad) {
        std::fprintf(stderr, "mdp-provider-runner: %s (it is started by mdp-host only)\n", bad.what());
        return 2;
    }
    if (arguments.describe) {
        return describe(arguments);
    }
    mdp::isolation::MessageChannel channel(mdp::isolation::kRunnerChannelFd);
    try {
        mdp::isolation::EventRing ring = mdp::isolation::EventRing::attach(
            mdp::isolation::kRunnerRingFd, mdp::isolation::kRunnerDataFd, mdp::isolation::kRunnerSpaceFd);
        std::string error;
        auto library = load_plugin(arguments, error);
        mdp::isolation::PayloadWriter loaded;
        loaded.i32(library != nullptr ? MDP_OK : MDP_ERROR).text(error);
        channel.send(static_cast<std::uint32_t>(mdp::isolation::MessageType::loaded), loaded);
        const int code = mdp::runner::RunnerSession(std::move(library), ring, channel).run();
        // Plugin threads a destroy() left behind must not run static destructors' races.
        std::fflush(nullptr);
        ::_exit(code);
    } catch (const std::exception& failure) {
        std::fprintf(stderr, "mdp-provider-runner: %s\n", failure.what());
        return 2;
    }
}
