#include "plugins/plugin_description.hpp"

#include "isolation/runner_process.hpp"

#include <mdp/sdk/errno_text.hpp>

#include <nlohmann/json.hpp>

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <array>
#include <cerrno>

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX, not in a header

namespace mdp::plugins {

namespace {

// The runner's answer is one short line; anything longer is not a description.
constexpr std::size_t kMaxAnswerBytes = std::size_t{64} * 1024;

[[noreturn]] void refuse(const std::filesystem::path& file, const std::string& reason) {
    throw PluginLoadError(file.string() + ": " + reason);
}

// Reads the child's stdout until it closes or the deadline passes; false on the deadline.
bool read_answer(int fd, std::chrono::steady_clock::time_point deadline, std::string& answer) {
    std::array<char, 4096> buffer{};
    while (answer.size() <= kMaxAnswerBytes) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return false;
        }
        pollfd readable{fd, POLLIN, 0};
        if (::poll(&readable, 1, static_cast<int>(left.count())) <= 0) {
            continue;  // EINTR or the deadline, checked above
        }
        const ssize_t got = ::read(fd, buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            return true;  // closed: the runner is done
        }
        answer.append(buffer.data(), static_cast<std::size_t>(got));
    }
    return true;
}

isolation::RunnerExit reap(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return isolation::RunnerExit::from_wait_status(status);
}

std::shared_ptr<PluginLibrary> library_from(const nlohmann::json& answer, const PluginFilePolicy& policy) {
    PluginInfo info;
    info.file = answer.at("file").get<std::string>();
    info.id = answer.at("id").get<std::string>();
    info.name = answer.at("name").get<std::string>();
    info.version = answer.at("version").get<std::string>();
    info.vendor = answer.at("vendor").get<std::string>();
    info.description = answer.at("description").get<std::string>();
    info.url = answer.at("url").get<std::string>();
    info.sha256 = answer.at("sha256").get<std::string>();
    const auto& abi = answer.at("abi");
    info.abi_version = {abi.at(0).get<std::uint32_t>(), abi.at(1).get<std::uint32_t>(), abi.at(2).get<std::uint32_t>()};
    return PluginLibrary::described(std::move(info), policy, answer.at("reconfigurable").get<bool>());
}

}  // namespace

std::vector<std::string> loader_arguments(const PluginFilePolicy& policy) {
    std::vector<std::string> arguments;
    for (const auto& directory : policy.allowed_directories) {
        arguments.insert(arguments.end(), {"--plugin-dir", directory.string()});
    }
    if (policy.allow_insecure_permissions) {
        arguments.emplace_back("--allow-insecure-permissions");
    }
    return arguments;
}

std::string description_json(const PluginLibrary& library) {
    const PluginInfo& info = library.info();
    return nlohmann::json{{"file", info.file},
                          {"id", info.id},
                          {"name", info.name},
                          {"version", info.version},
                          {"vendor", info.vendor},
                          {"description", info.description},
                          {"url", info.url},
                          {"sha256", info.sha256},
                          {"abi", {info.abi_version.major, info.abi_version.minor, info.abi_version.patch}},
                          {"reconfigurable", library.reconfigurable()}}
        .dump();
}

std::string refusal_json(const std::string& error) { return nlohmann::json{{"error", error}}.dump(); }

std::shared_ptr<PluginLibrary> describe_plugin(const std::filesystem::path& runner, const std::filesystem::path& file,
                                               const PluginFilePolicy& policy) {
    std::vector<std::string> arguments{runner.string(), "--describe", "--plugin", file.string()};
    const std::vector<std::string> loader = loader_arguments(policy);
    arguments.insert(arguments.end(), loader.begin(), loader.end());
    std::vector<char*> argv = isolation::exec_argv(arguments);

    std::array<int, 2> pipe_fds{};
    if (::pipe2(pipe_fds.data(), O_CLOEXEC) != 0) {
        refuse(file, "cannot describe it in a separate process: pipe: " + sdk::errno_text(errno));
    }
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);  // dup2 clears CLOEXEC
    pid_t pid = 0;
    const int spawned = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    ::posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    if (spawned != 0) {
        ::close(pipe_fds[0]);
        refuse(file, "cannot describe it in a separate process: " + runner.string() + ": " + sdk::errno_text(spawned));
    }
    std::string answer;
    const bool in_time = read_answer(pipe_fds[0], std::chrono::steady_clock::now() + kDescribeTimeout, answer);
    ::close(pipe_fds[0]);
    if (!in_time) {
        ::kill(pid, SIGKILL);
    }
    const isolation::RunnerExit exit = reap(pid);
    if (!in_time) {
        refuse(file, "loading it did not finish within " + std::to_string(kDescribeTimeout.count()) +
                         " s in a separate process (killed); not loaded");
    }
    if (exit.signaled) {
        refuse(file, "crashed while loading in a separate process: " + exit.description() + "; not loaded");
    }
    nlohmann::json parsed;
    try {
        parsed = nlohmann::json::parse(answer);
        if (exit.code == 1 && parsed.contains("error")) {
            throw PluginLoadError(parsed.at("error").get<std::string>());
        }
        if (exit.code == 0) {
            return library_from(parsed, policy);
        }
    } catch (const nlohmann::json::exception&) {
        // below: an answer that is not a description
    }
    refuse(file, "failed while loading in a separate process: " + exit.description() +
                     " without a readable description; not loaded");
}

}  // namespace mdp::plugins
