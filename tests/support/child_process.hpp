#pragma once
// A child process for integration tests: started with arguments and extra environment,
// its stdout+stderr captured into a file, signalled, and waited for with a deadline.
// The destructor kills a child that is still running, so a failing test never leaks one.

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace mdp::test {

class ChildProcess {
   public:
    // Starts `program` with `arguments`; `environment` entries are added to (or override)
    // the inherited environment. Output goes to `output_file`.
    ChildProcess(const std::string& program, const std::vector<std::string>& arguments,
                 const std::filesystem::path& output_file, const std::map<std::string, std::string>& environment = {});
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    [[nodiscard]] pid_t pid() const { return pid_; }
    [[nodiscard]] bool running();
    void signal(int signal_number);
    // Waits for exit; returns the exit code (128+signal when killed), or nullopt on timeout.
    std::optional<int> wait(std::chrono::milliseconds timeout);
    // Everything the child printed so far.
    [[nodiscard]] std::string output() const;
    // Polls output() until it contains `text` or the timeout passes.
    bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout);

   private:
    pid_t pid_ = -1;
    std::optional<int> exit_code_;
    std::filesystem::path output_file_;
};

// Runs a program to completion and returns {exit code, output}. A program still running at
// the deadline is killed and std::runtime_error thrown (with its output): a hang is its own
// failure, never an exit code a test could mistake for the one it expects.
struct RunResult {
    int exit_code = 0;  // 128+signal when killed by a signal
    std::string output;
};
RunResult run_to_completion(const std::string& program, const std::vector<std::string>& arguments,
                            std::chrono::milliseconds timeout = std::chrono::seconds(60),
                            const std::map<std::string, std::string>& environment = {});

// Polls `condition` every 50 ms until it is true or the timeout passes.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

}  // namespace mdp::test
