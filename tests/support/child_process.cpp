#include "child_process.hpp"

#include "temp_dir.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace mdp::test {

namespace {

int decode_status(int status) {
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return -1;
}

}  // namespace

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& arguments,
                           const std::filesystem::path& output_file,
                           const std::map<std::string, std::string>& environment)
    : output_file_(output_file) {
    const int output_fd = ::open(output_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (output_fd < 0) {
        throw std::runtime_error("cannot open " + output_file.string());
    }
    pid_ = ::fork();
    if (pid_ < 0) {
        ::close(output_fd);
        throw std::runtime_error("fork failed");
    }
    if (pid_ == 0) {
        ::dup2(output_fd, STDOUT_FILENO);
        ::dup2(output_fd, STDERR_FILENO);
        const int null_fd = ::open("/dev/null", O_RDONLY);
        ::dup2(null_fd, STDIN_FILENO);
        for (const auto& [name, value] : environment) {
            ::setenv(name.c_str(), value.c_str(), 1);
        }
        std::vector<char*> argv;
        argv.push_back(const_cast<char*>(program.c_str()));
        for (const auto& argument : arguments) {
            argv.push_back(const_cast<char*>(argument.c_str()));
        }
        argv.push_back(nullptr);
        ::execvp(program.c_str(), argv.data());
        ::_exit(127);
    }
    ::close(output_fd);
}

ChildProcess::~ChildProcess() {
    if (running()) {
        ::kill(pid_, SIGKILL);
        wait(std::chrono::seconds(10));
    }
}

bool ChildProcess::running() {
    if (exit_code_) {
        return false;
    }
    int status = 0;
    const pid_t result = ::waitpid(pid_, &status, WNOHANG);
    if (result == pid_) {
        exit_code_ = decode_status(status);
        return false;
    }
    return result == 0;
}

void ChildProcess::signal(int signal_number) {
    if (running()) {
        ::kill(pid_, signal_number);
    }
}

std::optional<int> ChildProcess::wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (running()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return exit_code_;
}

std::string ChildProcess::output() const { return read_text_file(output_file_); }

bool ChildProcess::wait_for_output(const std::string& text, std::chrono::milliseconds timeout) {
    return eventually([&] { return output().find(text) != std::string::npos; }, timeout);
}

RunResult run_to_completion(const std::string& program, const std::vector<std::string>& arguments,
                            std::chrono::milliseconds timeout, const std::map<std::string, std::string>& environment) {
    TempDir scratch("mdp-run");
    ChildProcess child(program, arguments, scratch / "output.txt", environment);
    const auto code = child.wait(timeout);
    if (!code) {
        child.signal(SIGKILL);
        child.wait(std::chrono::seconds(10));
        throw std::runtime_error(program + " did not exit within " + std::to_string(timeout.count()) +
                                 " ms; output:\n" + child.output());
    }
    return RunResult{*code, child.output()};
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        if (condition()) {
            return true;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

}  // namespace mdp::test
