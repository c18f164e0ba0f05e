#pragma once
// The runner child process of one isolated provider, as the host starts, watches and reaps
// it: fork + exec with the ring's and the channel's descriptors at their agreed numbers
// (runner_protocol.hpp), every other descriptor closed, PR_SET_PDEATHSIG so it dies with the
// host, SIGINT/SIGTERM/SIGHUP/SIGQUIT blocked (stopping is the host's job), its resource limits
// applied, and a pidfd that becomes readable the moment it exits.

#include "isolation/event_ring.hpp"

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mdp::isolation {

struct RunnerLimits {
    std::uint64_t memory_bytes = 0;  // RLIMIT_AS of the runner; 0 = none
    int nice = 0;  // 0..19, added to the host's
};

// What execv() and posix_spawn() take for `words`: pointers into them, ending in nullptr.
// Valid while `words` lives unchanged.
std::vector<char*> exec_argv(std::vector<std::string>& words);

struct RunnerCommand {
    std::string executable;  // absolute path of mdp-provider-runner
    std::vector<std::string> arguments;  // after argv[0]
    RunnerLimits limits;
};

// How a runner ended.
struct RunnerExit {
    // How a process ended, from waitpid()'s status.
    static RunnerExit from_wait_status(int status);

    bool signaled = false;
    int code = 0;  // the exit code, or the signal number when signaled
    // "SIGSEGV" for a signal, "exit" for an exit: the `signal` label of
    // mdp_provider_crashes_total.
    [[nodiscard]] std::string signal_label() const;
    // "killed by signal SIGSEGV (Segmentation fault)" / "exited with code 3"
    [[nodiscard]] std::string description() const;
};

class RunnerProcess {
   public:
    // [control-thread] Starts `command` with `channel_fd` and `ring`'s descriptors inherited.
    // The death signal is tied to the calling thread (Linux's rule): call it from a thread that
    // lives as long as the host (the control thread). Throws std::runtime_error naming the
    // executable when it cannot be started.
    static RunnerProcess spawn(const RunnerCommand& command, int channel_fd, const EventRing& ring);

    RunnerProcess(RunnerProcess&& other) noexcept;
    RunnerProcess& operator=(RunnerProcess&&) = delete;
    RunnerProcess(const RunnerProcess&) = delete;
    RunnerProcess& operator=(const RunnerProcess&) = delete;
    // Kills and reaps a runner still running: a child never outlives its owner.
    ~RunnerProcess();

    [[nodiscard]] pid_t pid() const { return pid_; }
    // Readable once the runner exited (poll it with the channel and the ring).
    [[nodiscard]] int pidfd() const { return pidfd_; }
    // [any-thread] SIGKILL, e.g. after a call missed its deadline. Harmless once it exited.
    void kill() const;
    // Reaps it: waits up to `timeout_ms` (0: only when it already exited, -1: for ever).
    // Returns how it ended, or nullopt when it still runs. Once reaped, returns that again.
    std::optional<RunnerExit> reap(int timeout_ms);

   private:
    RunnerProcess(pid_t pid, int pidfd) : pid_(pid), pidfd_(pidfd) {}

    pid_t pid_ = -1;
    int pidfd_ = -1;
    std::optional<RunnerExit> exit_;
};

// Resident memory of process `pid` in bytes (from /proc/<pid>/statm), 0 when unreadable.
std::uint64_t resident_bytes_of(pid_t pid);

}  // namespace mdp::isolation
