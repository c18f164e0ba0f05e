// Provider supervision in the real mdp-host: restart policies with backoff and a cap, a
// provider whose thread throws, plugin calls that never return — while a healthy synthetic
// provider keeps storing events and the host stays up.

#include "child_process.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

using mdp::test::ChildProcess;
using mdp::test::TempDir;
using nlohmann::json;

namespace {

json supervision_config(const TempDir& dir, const json& flaky) {
    return {{"plugin_path", {MDP_PLUGIN_DIR, MDP_CORE_TEST_PLUGIN_DIR}},
            {"http", {{"enabled", false}}},
            {"store",
             {{"flush_interval_ms", 20}, {"sinks", {{{"type", "sqlite"}, {"path", (dir / "mdp.sqlite").string()}}}}}},
            {"providers",
             {{{"name", "healthy"},
               {"plugin", "synthetic"},
               {"config", {{"symbols", {"AAA"}}, {"rate_per_symbol", 200}, {"seed", 1}}}},
              flaky}}};
}

json flaky_provider(const std::string& mode, const json& restart, bool required = false) {
    return {{"name", "flaky"},
            {"plugin", "flaky"},
            {"required", required},
            {"config", {{"mode", mode}, {"fail_after_ms", 50}}},
            {"restart", restart}};
}

std::filesystem::path write_config(const TempDir& dir, const json& config) {
    return dir.write_file("mdp.json", config.dump(2));
}

json summary_of(const std::string& output) {
    const auto at = output.find("mdp-summary ");
    if (at == std::string::npos) {
        return nullptr;
    }
    const auto end = output.find('\n', at);
    return json::parse(output.substr(at + 12, end - at - 12));
}

// A second flaky instance that fails every 50 ms and is restarted each time: each of its
// "restarting in" lines is a supervisor tick that looked at every provider.
json witness_provider() {
    json witness = flaky_provider(
        "report", {{"policy", "always"}, {"initial_backoff_ms", 20}, {"max_backoff_ms", 20}, {"max_attempts", 0}});
    witness["name"] = "witness";
    return witness;
}

// Occurrences of `text` in `output` after the first occurrence of `after` (0 when `after` is
// absent).
std::size_t count_after(const std::string& output, const std::string& text, const std::string& after) {
    std::size_t at = output.find(after);
    if (at == std::string::npos) {
        return 0;
    }
    std::size_t count = 0;
    for (at = output.find(text, at); at != std::string::npos; at = output.find(text, at + 1)) {
        ++count;
    }
    return count;
}

// Waits until the supervisor has run at least two full ticks since `event` was logged: the
// witness was scheduled for a restart twice after it (the first such tick may have begun
// before the event). Absence of a reaction is then proven, not hoped for after a pause.
bool supervisor_ticked_since(ChildProcess& host, const std::string& event) {
    return mdp::test::eventually([&] { return count_after(host.output(), "provider witness: failed", event) >= 2; },
                                 std::chrono::seconds(30));
}

// Milliseconds since midnight of a log line's "YYYY-MM-DDTHH:MM:SS.mmm" timestamp.
std::int64_t log_time_ms(const std::string& line) {
    const int hours = std::stoi(line.substr(11, 2));
    const int minutes = std::stoi(line.substr(14, 2));
    const int seconds = std::stoi(line.substr(17, 2));
    const int millis = std::stoi(line.substr(20, 3));
    return ((static_cast<std::int64_t>(hours) * 60 + minutes) * 60 + seconds) * 1000 + millis;
}

std::vector<std::string> lines_with(const std::string& output, const std::string& fragment) {
    std::vector<std::string> found;
    std::istringstream stream(output);
    std::string line;
    while (std::getline(stream, line)) {
        if (line.find(fragment) != std::string::npos) {
            found.push_back(line);
        }
    }
    return found;
}

struct Stopped {
    std::optional<int> exit_code;
    std::string output;
    json summary;
};

Stopped stop(ChildProcess& host) {
    host.signal(SIGTERM);
    Stopped result;
    result.exit_code = host.wait(std::chrono::seconds(30));
    result.output = host.output();
    result.summary = summary_of(result.output);
    return result;
}

}  // namespace

TEST_CASE("on-failure restarts a failing provider with backoff, then leaves it failed after max_attempts",
          "[supervision]") {
    TempDir dir("mdp-supervision");
    const auto config = write_config(dir, supervision_config(dir, flaky_provider("report", {{"policy", "on-failure"},
                                                                                            {"initial_backoff_ms", 50},
                                                                                            {"max_backoff_ms", 200},
                                                                                            {"max_attempts", 3}})));
    ChildProcess host(MDP_HOST_BINARY, {"--config", config.string()}, dir / "host.log");
    REQUIRE(host.wait_for_output("provider flaky: stays failed after 3 restart attempts", std::chrono::seconds(60)));
    const auto stopped = stop(host);
    CHECK(stopped.exit_code == 0);  // a failing optional provider never takes the host down
    CHECK_THAT(stopped.output, Catch::Contains("provider flaky: restarting (restart 1)") &&
                                   Catch::Contains("provider flaky: restarting (restart 3)") &&
                                   !Catch::Contains("restarting (restart 4)"));
    // The backoff: restart n is scheduled after a random delay in the upper half of
    // min(200, 50 x 2^(n-1)) ms, and happens no earlier than that.
    const auto scheduled = lines_with(stopped.output, "provider flaky: failed (");
    const auto restarted = lines_with(stopped.output, "provider flaky: restarting (restart ");
    REQUIRE(scheduled.size() == 3);
    REQUIRE(restarted.size() == 3);
    const std::regex delay_pattern("restarting in (\\d+) ms");
    for (std::size_t index = 0; index < 3; ++index) {
        INFO(scheduled[index] << "\n" << restarted[index]);
        std::smatch match;
        REQUIRE(std::regex_search(scheduled[index], match, delay_pattern));
        const std::int64_t delay_ms = std::stoll(match[1].str());
        const std::int64_t step_ms = std::min<std::int64_t>(200, std::int64_t{50} << index);
        CHECK(delay_ms >= step_ms / 2);
        CHECK(delay_ms <= step_ms);
        CHECK(log_time_ms(restarted[index]) - log_time_ms(scheduled[index]) >= delay_ms - 1);  // ms-rounded stamps
    }
    REQUIRE(stopped.summary.is_object());
    CHECK(stopped.summary["providers"]["flaky"]["state"] == "failed");
    CHECK(stopped.summary["providers"]["flaky"]["restarts"] == 3);
    CHECK(stopped.summary["providers"]["flaky"]["published"] == 4);  // one trade per start
    CHECK(stopped.summary["providers"]["healthy"]["published"].get<int>() > 0);
    CHECK(stopped.summary["sinks"]["sqlite"]["stored"] ==
          stopped.summary["providers"]["healthy"]["published"].get<int>() + 4);
}

TEST_CASE("policy never leaves a failed provider failed", "[supervision]") {
    TempDir dir("mdp-supervision");
    json config_object = supervision_config(dir, flaky_provider("report", {{"policy", "never"}}));
    config_object["providers"].push_back(witness_provider());
    const auto config = write_config(dir, config_object);
    ChildProcess host(MDP_HOST_BINARY, {"--config", config.string()}, dir / "host.log");
    const std::string failed = "provider flaky: running -> failed: deliberate failure reported";
    REQUIRE(host.wait_for_output(failed, std::chrono::seconds(30)));
    REQUIRE(supervisor_ticked_since(host, failed));
    const auto stopped = stop(host);
    CHECK(stopped.exit_code == 0);
    CHECK_THAT(stopped.output,
               !Catch::Contains("provider flaky: restarting") &&
                   !Catch::Contains("provider flaky: failed (deliberate failure reported); restarting"));
    CHECK(stopped.summary["providers"]["flaky"]["restarts"] == 0);
}

TEST_CASE("an exception escaping a provider thread fails the provider, not the host", "[supervision]") {
    TempDir dir("mdp-supervision");
    const auto config = write_config(
        dir, supervision_config(dir, flaky_provider("throw", {{"initial_backoff_ms", 50}, {"max_attempts", 1}})));
    ChildProcess host(MDP_HOST_BINARY, {"--config", config.string()}, dir / "host.log");
    REQUIRE(host.wait_for_output("stays failed after 1 restart attempts", std::chrono::seconds(30)));
    const auto stopped = stop(host);
    CHECK(stopped.exit_code == 0);
    CHECK_THAT(stopped.output, Catch::Contains("thread worker threw: deliberate failure in the worker"));
}

TEST_CASE("a start() that never returns is abandoned after its timeout while the others run on", "[supervision]") {
    TempDir dir("mdp-supervision");
    json config_object =
        supervision_config(dir, flaky_provider("hang_in_start", {{"policy", "always"}, {"start_timeout_ms", 300}}));
    config_object["providers"].push_back(witness_provider());
    const auto config = write_config(dir, config_object);
    ChildProcess host(MDP_HOST_BINARY, {"--config", config.string()}, dir / "host.log");
    const std::string abandoned = "start() did not return within 300 ms";
    REQUIRE(host.wait_for_output(abandoned, std::chrono::seconds(30)));
    REQUIRE(supervisor_ticked_since(host, abandoned));
    const auto stopped = stop(host);
    CHECK(stopped.exit_code == 0);
    CHECK_THAT(stopped.output, !Catch::Contains("provider flaky: restarting") &&  // a hung provider is never touched
                                   !Catch::Contains("provider flaky: failed ("));
    CHECK(stopped.summary["providers"]["flaky"]["state"] == "failed");
    CHECK(stopped.summary["providers"]["healthy"]["published"].get<int>() > 0);
}

TEST_CASE("a stop() that never returns does not block shutdown", "[supervision]") {
    TempDir dir("mdp-supervision");
    const auto config = write_config(
        dir, supervision_config(dir, flaky_provider("hang_in_stop", {{"policy", "never"}, {"stop_timeout_ms", 300}})));
    ChildProcess host(MDP_HOST_BINARY, {"--config", config.string()}, dir / "host.log");
    REQUIRE(host.wait_for_output("mdp-host 0.1.0 running", std::chrono::seconds(30)));
    const auto stopped = stop(host);
    CHECK(stopped.exit_code == 0);
    CHECK_THAT(stopped.output,
               Catch::Contains("stop() did not return within 300 ms") && Catch::Contains("exiting without cleanup"));
    CHECK(stopped.summary["not_stored"] == 0);
}

// A flaky provider that runs 1 s before each failure, with max_attempts 1 and the given
// reset_after_ms.
json flaky_with_reset_after(std::int64_t reset_after_ms) {
    json flaky = flaky_provider("report", {{"policy", "on-failure"},
                                           {"initial_backoff_ms", 20},
                                           {"max_backoff_ms", 20},
                                           {"max_attempts", 1},
                                           {"reset_after_ms", reset_after_ms}});
    flaky["config"]["fail_after_ms"] = 1000;
    return flaky;
}

TEST_CASE("restart.reset_after_ms: running that long forgives earlier failures", "[supervision]") {
    TempDir dir("mdp-supervision");
    // Every run lasts 1 s, well past reset_after_ms 100 (and several supervisor ticks): the
    // attempt count is forgiven each time, so the provider is restarted again and again.
    const auto config = write_config(dir, supervision_config(dir, flaky_with_reset_after(100)));
    ChildProcess host(MDP_HOST_BINARY, {"--config", config.string()}, dir / "host.log");
    REQUIRE(host.wait_for_output("provider flaky: restarting (restart 3)", std::chrono::seconds(60)));
    const auto stopped = stop(host);
    CHECK(stopped.exit_code == 0);
    CHECK_THAT(stopped.output, !Catch::Contains("provider flaky: stays failed"));
}

TEST_CASE("without reset_after_ms elapsing, max_attempts holds", "[supervision]") {
    TempDir dir("mdp-supervision");
    const auto config = write_config(dir, supervision_config(dir, flaky_with_reset_after(60000)));
    ChildProcess host(MDP_HOST_BINARY, {"--config", config.string()}, dir / "host.log");
    REQUIRE(host.wait_for_output("provider flaky: stays failed after 1 restart attempts", std::chrono::seconds(60)));
    const auto stopped = stop(host);
    CHECK(stopped.exit_code == 0);
    CHECK_THAT(stopped.output, !Catch::Contains("provider flaky: restarting (restart 2)"));
}

TEST_CASE("a required provider that stays failed stops the host with exit code 1", "[supervision]") {
    TempDir dir("mdp-supervision");
    const auto config = write_config(
        dir,
        supervision_config(dir, flaky_provider("report", {{"initial_backoff_ms", 50}, {"max_attempts", 1}}, true)));
    ChildProcess host(MDP_HOST_BINARY, {"--config", config.string()}, dir / "host.log");
    const auto exit_code = host.wait(std::chrono::seconds(60));
    CHECK(exit_code == 1);
    CHECK_THAT(host.output(), Catch::Contains("required provider flaky failed: deliberate failure reported"));
}
