// Provider supervision in the real mdp-host: restart policies with backoff and a cap, a
// provider whose thread throws, plugin calls that never return — while a healthy synthetic
// provider keeps storing events and the host stays up.

#include "child_process.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <thread>

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
    const auto config = write_config(dir, supervision_config(dir, flaky_provider("report", {{"policy", "never"}})));
    ChildProcess host(MDP_HOST_BINARY, {"--config", config.string()}, dir / "host.log");
    REQUIRE(host.wait_for_output("deliberate failure reported", std::chrono::seconds(30)));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto stopped = stop(host);
    CHECK(stopped.exit_code == 0);
    CHECK_THAT(stopped.output, !Catch::Contains("restarting"));
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
    const auto config = write_config(
        dir,
        supervision_config(dir, flaky_provider("hang_in_start", {{"policy", "always"}, {"start_timeout_ms", 300}})));
    ChildProcess host(MDP_HOST_BINARY, {"--config", config.string()}, dir / "host.log");
    REQUIRE(host.wait_for_output("start() did not return within 300 ms", std::chrono::seconds(30)));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto stopped = stop(host);
    CHECK(stopped.exit_code == 0);
    CHECK_THAT(stopped.output, !Catch::Contains("restarting"));  // a hung provider is never touched again
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
