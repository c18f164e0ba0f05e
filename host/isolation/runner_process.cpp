#include "isolation/runner_process.hpp"

#include "isolation/runner_protocol.hpp"

#include <mdp/sdk/errno_text.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <utility>

namespace mdp::isolation {

namespace {

// Descriptors are first moved above the agreed numbers, so that dup2 onto 3..6 never
// overwrites a source that happens to sit there.
constexpr int kScratchFdBase = 64;

// In the child between fork and exec: async-signal-safe calls only. Never returns.
[[noreturn]] void exec_child(pid_t parent, const std::array<int, 4>& sources, const RunnerLimits& limits,
                             const char* executable, char* const* argv) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) {
        ::_exit(126);  // the host died before the death signal was armed
    }
    std::array<int, 4> moved{};
    for (std::size_t index = 0; index < sources.size(); ++index) {
        moved[index] = ::fcntl(sources[index], F_DUPFD, kScratchFdBase);
        if (moved[index] < 0) {
            ::_exit(126);
        }
    }
    const std::array<int, 4> targets{kRunnerChannelFd, kRunnerRingFd, kRunnerDataFd, kRunnerSpaceFd};
    for (std::size_t index = 0; index < targets.size(); ++index) {
        if (::dup2(moved[index], targets[index]) != targets[index]) {
            ::_exit(126);
        }
    }
    // Nothing else of the host leaks into the plugin's process (sockets, files, plugin fds).
    ::syscall(SYS_close_range, kRunnerSpaceFd + 1, ~0U, 0U);
    if (limits.memory_bytes != 0) {
        const rlimit memory{limits.memory_bytes, limits.memory_bytes};
        ::setrlimit(RLIMIT_AS, &memory);
    }
    if (limits.nice != 0) {
        ::setpriority(PRIO_PROCESS, 0, ::getpriority(PRIO_PROCESS, 0) + limits.nice);
    }
    // The stop signals are the host's alone: a Ctrl-C to the terminal's process group or a
    // service manager's SIGTERM to every process of the service must not kill a runner ahead
    // of the host's ordered, lossless stop. The host ends runners itself (or their death
    // signal, SIGKILL, does).
    sigset_t stop_signals;
    ::sigemptyset(&stop_signals);
    for (const int stop_signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
        ::sigaddset(&stop_signals, stop_signal);
    }
    // Between fork and exec only async-signal-safe calls, which sigprocmask is; the child has
    // one thread, so the check's thread-safety concern does not apply.
    ::sigprocmask(SIG_BLOCK, &stop_signals, nullptr);  // NOLINT(concurrency-mt-unsafe)
    ::execv(executable, argv);
    ::_exit(127);
}

}  // namespace

std::vector<char*> exec_argv(std::vector<std::string>& words) {
    std::vector<char*> argv;
    argv.reserve(words.size() + 1);
    for (auto& word : words) {
        argv.push_back(word.data());
    }
    argv.push_back(nullptr);
    return argv;
}

RunnerExit RunnerExit::from_wait_status(int status) {
    RunnerExit exit;
    exit.signaled = WIFSIGNALED(status);
    exit.code = exit.signaled ? WTERMSIG(status) : WEXITSTATUS(status);
    return exit;
}

std::string RunnerExit::signal_label() const {
    if (!signaled) {
        return "exit";
    }
    const char* abbreviation = ::sigabbrev_np(code);
    return abbreviation != nullptr ? std::string("SIG") + abbreviation : "signal " + std::to_string(code);
}

std::string RunnerExit::description() const {
    if (!signaled) {
        return "exited with code " + std::to_string(code);
    }
    const char* text = ::sigdescr_np(code);
    return "killed by signal " + signal_label() + (text != nullptr ? std::string(" (") + text + ")" : "");
}

RunnerProcess RunnerProcess::spawn(const RunnerCommand& command, int channel_fd, const EventRing& ring) {
    if (::access(command.executable.c_str(), X_OK) != 0) {
        throw std::runtime_error("cannot start the provider runner " + command.executable + ": " +
                                 sdk::errno_text(errno));
    }
    std::vector<std::string> words{command.executable};
    words.insert(words.end(), command.arguments.begin(), command.arguments.end());
    std::vector<char*> argv = exec_argv(words);
    const std::array<int, 4> sources{channel_fd, ring.memory_fd(), ring.data_fd(), ring.space_fd()};
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) {
        throw std::runtime_error("cannot start the provider runner " + command.executable +
                                 ": fork: " + sdk::errno_text(errno));
    }
    if (pid == 0) {
        exec_child(parent, sources, command.limits, command.executable.c_str(), argv.data());
    }
    const auto pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (pidfd < 0) {
        const int error = errno;
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
        throw std::runtime_error("cannot watch the provider runner: pidfd_open: " + sdk::errno_text(error));
    }
    return RunnerProcess(pid, pidfd);
}

RunnerProcess::RunnerProcess(RunnerProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), pidfd_(std::exchange(other.pidfd_, -1)), exit_(other.exit_) {}

RunnerProcess::~RunnerProcess() {
    if (pid_ > 0 && !exit_) {
        kill();
        static_cast<void>(reap(-1));
    }
    if (pidfd_ >= 0) {
        ::close(pidfd_);
    }
}

void RunnerProcess::kill() const {
    if (pidfd_ >= 0) {
        // Through the pidfd: never a recycled pid's process.
        ::syscall(SYS_pidfd_send_signal, pidfd_, SIGKILL, nullptr, 0U);
    }
}

std::optional<RunnerExit> RunnerProcess::reap(int timeout_ms) {
    if (exit_ || pid_ <= 0) {
        return exit_;
    }
    if (timeout_ms != 0) {
        pollfd exited{pidfd_, POLLIN, 0};
        while (::poll(&exited, 1, timeout_ms) < 0 && errno == EINTR) {
        }
    }
    int status = 0;
    const pid_t reaped = ::waitpid(pid_, &status, WNOHANG);
    if (reaped != pid_) {
        return std::nullopt;
    }
    exit_ = RunnerExit::from_wait_status(status);
    return exit_;
}

std::uint64_t resident_bytes_of(pid_t pid) {
    std::ifstream statm("/proc/" + std::to_string(pid) + "/statm");
    std::uint64_t size_pages = 0;
    std::uint64_t resident_pages = 0;
    if (!(statm >> size_pages >> resident_pages)) {
        return 0;
    }
    return resident_pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace mdp::isolation
