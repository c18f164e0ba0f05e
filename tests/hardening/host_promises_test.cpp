// Promises of docs/configuration.md, docs/operations.md and docs/http-api.md that only the
// real mdp-host can show: --version, http.port 0, exit code 1 when the HTTP port is taken,
// providers[].enabled false, http.admin_token from the file, idle_timeout_ms, the JSON log
// format and the log file, and the MDP_QUEUE_CAPACITY / MDP_OVERFLOW_POLICY variables.
// (docs/development.md maps each documented promise to its test.)

#include "host_runner.hpp"
#include "synthetic_host.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <sstream>
#include <string>

using mdp::test::HttpClient;
using mdp::test::RawConnection;
using mdp::test::SyntheticHost;
using mdp::test::SyntheticHostOptions;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr const char* kToken = "a-config-file-admin-token-0123456789";

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream stream(text);
    std::string line;
    while (std::getline(stream, line)) {
        if (!line.empty()) {
            lines.push_back(line);
        }
    }
    return lines;
}

}  // namespace

TEST_CASE("mdp-host --version prints the host and plugin ABI versions and exits 0", "[hardening][cli]") {
    const auto result = mdp::test::run_to_completion(MDP_HOST_BINARY, {"--version"});
    INFO(result.output);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.output, Catch::StartsWith("mdp-host 0.1.0 (plugin ABI 1."));
}

TEST_CASE("http.port 0 binds a free port, logs it, and serves there", "[hardening][http]") {
    SyntheticHost host;  // configured with port 0
    CHECK(host.port() != 0);
    CHECK(mdp::test::find_http_port(host.output()) == host.port());
    CHECK(host.get("/health").status == 200);
    CHECK(host.status()["providers"].size() == 1);
    REQUIRE(host.stop() == 0);
}

TEST_CASE("a taken HTTP port makes the host exit 1 naming the address", "[hardening][http]") {
    const mdp::test::SilentPort taken;
    mdp::test::TempDir dir("mdp-port-taken");
    SyntheticHostOptions options;
    const auto config =
        mdp::test::write_host_config(dir, mdp::test::synthetic_host_config(options, taken.port(), dir / "mdp.sqlite"));
    const auto result = mdp::test::run_to_completion(MDP_HOST_BINARY, {"--config", config.string()});
    INFO(result.output);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.output, Catch::Contains("cannot listen on 127.0.0.1:" + std::to_string(taken.port())));
}

TEST_CASE("a provider with enabled false is listed as stopped and never loaded", "[hardening][config]") {
    SyntheticHostOptions options;
    // A plugin that does not exist: loading it would fail the start.
    options.config_patch = {{"providers",
                             {{{"name", "synthetic"},
                               {"plugin", "synthetic"},
                               {"config", {{"symbols", {"AAA"}}, {"rate_per_symbol", 100}, {"seed", 1}}}},
                              {{"name", "parked"}, {"plugin", "no-such-plugin"}, {"enabled", false}}}}};
    SyntheticHost host(options);
    const json parked = host.provider("parked");
    CHECK(parked["enabled"] == false);
    CHECK(parked["state"] == "stopped");
    CHECK_THAT(parked["detail"].get<std::string>(), Catch::Contains("disabled in the config"));
    CHECK(parked["published_total"] == 0);
    CHECK(host.provider("synthetic")["state"] == "running");
    REQUIRE(host.stop() == 0);
}

TEST_CASE("http.admin_token from the config file enables the control API", "[hardening][control]") {
    SyntheticHostOptions options;
    options.config_patch = {{"http", {{"admin_token", kToken}}}};
    SyntheticHost host(options);
    HttpClient client(host.port(), "127.0.0.1", 60s);
    client.set_keep_alive(false);
    CHECK(client.post("/api/v1/providers/synthetic/stop", "").status == 401);
    CHECK(client
              .post("/api/v1/providers/synthetic/stop", "", "application/json",
                    {{"Authorization", std::string("Bearer ") + kToken}})
              .status == 200);
    CHECK(mdp::test::eventually([&] { return host.provider("synthetic")["state"] == "stopped"; }, 30s));
    REQUIRE(host.stop() == 0);
}

TEST_CASE("http.idle_timeout_ms closes a kept-alive connection that sends nothing more", "[hardening][http]") {
    SyntheticHostOptions options;
    options.config_patch = {{"http", {{"idle_timeout_ms", 500}}}};
    SyntheticHost host(options);
    RawConnection connection(host.port());
    REQUIRE(connection.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
    REQUIRE_THAT(connection.read_until("\r\n\r\n", 10s), Catch::StartsWith("HTTP/1.1 200"));
    const auto answered = std::chrono::steady_clock::now();
    REQUIRE(connection.wait_closed_by_peer(20s));
    const auto idle_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - answered).count();
    INFO("closed " << idle_ms << " ms after the reply");
    CHECK(idle_ms >= 400);  // not before the idle timeout (less the reply's own transit)
    CHECK(idle_ms < 10000);  // the default idle timeout is 60 s
    REQUIRE(host.stop() == 0);
}

TEST_CASE("logging.format json writes one JSON object a line to logging.file", "[hardening][logging]") {
    SyntheticHostOptions options;
    options.config_patch = {{"logging", {{"format", "json"}, {"file", "host-log.jsonl"}}}};
    SyntheticHost host(options);
    REQUIRE(host.stop() == 0);
    const std::string file = mdp::test::read_text_file(host.directory() / "host-log.jsonl");
    const auto lines = lines_of(file);
    REQUIRE(lines.size() >= 3);
    for (const std::string& line : lines) {
        INFO(line);
        const json entry = json::parse(line, nullptr, false);
        REQUIRE(entry.is_object());
        CHECK(entry.contains("level"));
        CHECK(entry.contains("message"));
    }
    CHECK_THAT(file, Catch::Contains("http: listening on 127.0.0.1:"));
    CHECK_THAT(host.output(), !Catch::Contains("http: listening on"));  // the file, not stderr
}

TEST_CASE("MDP_LOG_FORMAT=json switches the log to JSON lines", "[hardening][logging][env]") {
    SyntheticHostOptions options;
    options.environment = {{"MDP_LOG_FORMAT", "json"}};
    SyntheticHost host(options);
    REQUIRE(host.stop() == 0);
    std::size_t json_lines = 0;
    for (const std::string& line : lines_of(host.output())) {
        INFO(line);
        CHECK(json::parse(line, nullptr, false).is_object());
        ++json_lines;
    }
    CHECK(json_lines >= 3);
}

TEST_CASE("MDP_QUEUE_CAPACITY and MDP_OVERFLOW_POLICY reach the running host", "[hardening][config][env]") {
    SyntheticHostOptions options;
    options.environment = {{"MDP_QUEUE_CAPACITY", "1234"}, {"MDP_OVERFLOW_POLICY", "drop_oldest"}};
    SyntheticHost host(options);
    const json queue = host.status()["queue"];
    CHECK(queue["capacity"] == 1234);
    CHECK(queue["overflow_policy"] == "drop_oldest");
    REQUIRE(host.stop() == 0);
}
