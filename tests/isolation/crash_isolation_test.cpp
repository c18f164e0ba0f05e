// Crash isolation in the real mdp-host (docs/isolation.md): a provider with
// "isolation": "process" whose plugin segfaults, aborts, lets an exception escape, allocates
// without bound or spins ignoring stop() takes down only its runner. The host, its queue and
// a synthetic provider beside it keep running and storing, /health stays 200, every trade the
// plugin published before it died is stored (the plugin numbers them), and the restart policy
// applies as for any failure. In process, the same plugin takes the host down. Runners die
// with the host. A plugin that crashes while its file is loaded is a load error, isolated or
// not: the host reads plugin files in a separate process.

#include "child_process.hpp"
#include "host_runner.hpp"
#include "http_client.hpp"
#include "sqlite_reader.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <fstream>
#include <string>
#include <vector>

using mdp::test::HostRunner;
using mdp::test::TempDir;
using nlohmann::json;

namespace {

constexpr std::uint32_t kTradesBeforeCrash = 500;

json crashing_provider(const std::string& mode, const std::string& isolation) {
    json provider = {{"name", "crashing"},
                     {"plugin", "crashing"},
                     {"isolation", isolation},
                     {"config", {{"mode", mode}, {"crash_after", kTradesBeforeCrash}}},
                     {"restart",
                      {{"policy", "always"},
                       {"initial_backoff_ms", 20},
                       {"max_backoff_ms", 20},
                       {"max_attempts", 2},
                       {"stop_timeout_ms", 2000}}}};
    if (mode == "allocate") {
        provider["limits"] = {{"memory_mb", 256}};
    }
    return provider;
}

json host_config(const TempDir& dir, const json& crashing) {
    return {{"plugin_path", {MDP_PLUGIN_DIR, MDP_ISOLATION_TEST_PLUGIN_DIR}},
            {"http", {{"port", 0}, {"bind_address", "127.0.0.1"}}},
            {"store",
             {{"flush_interval_ms", 20}, {"sinks", {{{"type", "sqlite"}, {"path", (dir / "mdp.sqlite").string()}}}}}},
            {"providers",
             {{{"name", "healthy"},
               {"plugin", "synthetic"},
               {"config", {{"symbols", {"AAA"}}, {"rate_per_symbol", 200}, {"seed", 1}}}},
              crashing}}};
}

std::uint64_t published_total(unsigned short port, const std::string& provider) {
    return mdp::test::provider_in_status(mdp::test::status_document(port), provider)["published_total"]
        .get<std::uint64_t>();
}

// Rows of `provider` over the event tables, and the highest publish sequence among them:
// equal when no event of theirs is missing.
struct Stored {
    std::int64_t rows = 0;
    std::int64_t max_sequence = 0;
};

Stored stored_of(const std::filesystem::path& database, const std::string& provider) {
    mdp::test::SqliteReader reader(database);
    const std::string union_sql =
        "(SELECT seq FROM quotes WHERE provider = ?1 UNION ALL SELECT seq FROM trades WHERE provider = ?1 "
        "UNION ALL SELECT seq FROM bars WHERE provider = ?1)";
    return {reader.scalar("SELECT COUNT(*) FROM " + union_sql, {provider}),
            reader.scalar("SELECT MAX(seq) FROM " + union_sql, {provider})};
}

// The signals process `pid` blocks, from the SigBlk line of /proc/<pid>/status.
std::uint64_t blocked_signals(std::int64_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("SigBlk:", 0) == 0) {
            return std::stoull(line.substr(7), nullptr, 16);
        }
    }
    return 0;
}

bool blocks(std::uint64_t mask, int signal_number) { return (mask >> (signal_number - 1) & 1U) != 0; }

#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer reports a segmentation fault itself and exits 1; and its shadow memory does
// not fit in an address-space limit, so the allocate mode (RLIMIT_AS) is left out.
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif

// How the runner of `mode` ends: the `signal` label of its crashes and the words of its
// failure detail.
struct ExpectedEnd {
    std::string label;
    std::string description;
};

ExpectedEnd expected_end(const std::string& mode) {
    if (mode == "segfault") {
        return kAddressSanitizer ? ExpectedEnd{"exit", "exited with code 1"}
                                 : ExpectedEnd{"SIGSEGV", "killed by signal SIGSEGV"};
    }
    return {"SIGABRT", "killed by signal SIGABRT"};
}

std::vector<std::string> crash_modes() {
    std::vector<std::string> modes{"segfault", "abort", "throw"};
    if (!kAddressSanitizer) {
        modes.emplace_back("allocate");
    }
    return modes;
}

}  // namespace

TEST_CASE("an isolated plugin that crashes kills only its runner: the host stores what it published and restarts it") {
    const std::string mode = GENERATE(from_range(crash_modes()));
    const ExpectedEnd expected = expected_end(mode);
    INFO("mode " << mode);
    TempDir dir;
    const auto config = mdp::test::write_host_config(dir, host_config(dir, crashing_provider(mode, "process")));
    HostRunner host(config, dir.path() / "host.log");
    const unsigned short port = host.wait_for_http_port();
    host.wait_until_healthy(port);

    // Three runs, each crashing: the first, and the two restarts max_attempts allows.
    json crashing;
    REQUIRE(mdp::test::eventually(
        [&] {
            crashing = mdp::test::provider_in_status(mdp::test::status_document(port), "crashing");
            return crashing["crashes_total"] == 3 && crashing["state"] == "failed";
        },
        std::chrono::seconds(60)));
    CHECK(crashing["isolation"] == "process");
    CHECK(crashing["restarts"] == 2);
    CHECK(crashing["crashes_by_signal"][expected.label] == 3);
    CHECK(crashing["runner_pid"] == 0);
    CHECK_THAT(crashing["last_error"].get<std::string>(), Catch::Contains(expected.description));
    CHECK_THAT(crashing["last_error"].get<std::string>(), Catch::Contains("now " + mode));

    // The host and the provider beside it carry on.
    const std::uint64_t healthy_before = published_total(port, "healthy");
    CHECK(mdp::test::eventually([&] { return published_total(port, "healthy") > healthy_before; },
                                std::chrono::seconds(30)));
    CHECK(mdp::test::http_get(port, "/health").status == 200);
    const std::string metrics = mdp::test::http_get(port, "/metrics").body;
    CHECK_THAT(metrics, Catch::Contains("mdp_provider_crashes_total{provider=\"crashing\",signal=\"" + expected.label +
                                        "\"} 3"));

    REQUIRE(host.stop_and_wait(SIGTERM, std::chrono::seconds(30)) == 0);
    // Every numbered trade of every run is stored, and nothing of the healthy provider is missing.
    mdp::test::SqliteReader reader(dir.path() / "mdp.sqlite");
    CHECK(reader.scalar("SELECT COUNT(*) FROM trades WHERE provider = 'crashing'") ==
          std::int64_t{3} * kTradesBeforeCrash);
    CHECK(reader.scalar("SELECT COUNT(DISTINCT price) FROM trades WHERE provider = 'crashing'") == kTradesBeforeCrash);
    CHECK(reader.scalar("SELECT COUNT(*) FROM (SELECT price FROM trades WHERE provider = 'crashing' GROUP BY price "
                        "HAVING COUNT(*) != 3)") == 0);
    const Stored crashing_rows = stored_of(dir.path() / "mdp.sqlite", "crashing");
    CHECK(crashing_rows.max_sequence == crashing_rows.rows);
    const Stored healthy = stored_of(dir.path() / "mdp.sqlite", "healthy");
    CHECK(healthy.rows > 0);
    CHECK(healthy.max_sequence == healthy.rows);
}

TEST_CASE("an isolated plugin that spins and ignores stop() is killed at its deadline and the host stops losslessly") {
    TempDir dir;
    const auto config = mdp::test::write_host_config(dir, host_config(dir, crashing_provider("spin", "process")));
    HostRunner host(config, dir.path() / "host.log");
    const unsigned short port = host.wait_for_http_port();
    host.wait_until_healthy(port);
    REQUIRE(mdp::test::eventually([&] { return published_total(port, "crashing") == kTradesBeforeCrash; },
                                  std::chrono::seconds(60)));
    const json crashing = mdp::test::provider_in_status(mdp::test::status_document(port), "crashing");
    CHECK(crashing["runner_pid"].get<std::int64_t>() > 0);
    CHECK(crashing["runner_rss_bytes"].get<std::uint64_t>() > 0);
    std::uint64_t healthy_published = 0;
    REQUIRE(mdp::test::eventually(
        [&] {
            healthy_published = published_total(port, "healthy");
            return healthy_published > 0;
        },
        std::chrono::seconds(30)));

    REQUIRE(host.stop_and_wait(SIGTERM, std::chrono::seconds(30)) == 0);
    CHECK_THAT(host.output(), Catch::Contains("killed by signal SIGKILL") &&
                                  Catch::Contains("after stop() did not return within 1500 ms"));
    const Stored crashing_rows = stored_of(dir.path() / "mdp.sqlite", "crashing");
    CHECK(crashing_rows.rows == kTradesBeforeCrash);
    const Stored healthy = stored_of(dir.path() / "mdp.sqlite", "healthy");
    CHECK(healthy.rows >= static_cast<std::int64_t>(healthy_published));
    CHECK(healthy.max_sequence == healthy.rows);
}

TEST_CASE("in process, the same segfaulting plugin takes the whole host down (why isolation exists)") {
    TempDir dir;
    const auto config =
        mdp::test::write_host_config(dir, host_config(dir, crashing_provider("segfault", "in_process")));
    mdp::test::ChildProcess host(MDP_HOST_BINARY, {"--config", config.string()}, dir.path() / "host.log");
    const std::optional<int> exit_code = host.wait(std::chrono::seconds(60));
    REQUIRE(exit_code.has_value());
    CHECK(*exit_code == (kAddressSanitizer ? 1 : 128 + SIGSEGV));
}

TEST_CASE("runners leave stop signals to the host and die with it: SIGKILL of the host leaves none behind") {
    TempDir dir;
    const auto config = mdp::test::write_host_config(dir, host_config(dir, crashing_provider("none", "process")));
    HostRunner host(config, dir.path() / "host.log");
    const unsigned short port = host.wait_for_http_port();
    host.wait_until_healthy(port);
    std::int64_t runner = 0;
    REQUIRE(mdp::test::eventually(
        [&] {
            runner = mdp::test::provider_in_status(mdp::test::status_document(port), "crashing")["runner_pid"]
                         .get<std::int64_t>();
            return runner > 0;
        },
        std::chrono::seconds(30)));
    // Stopping is the host's job: a SIGTERM or Ctrl-C to every process of the service or the
    // terminal's process group must not reach the runner ahead of the host's ordered stop.
    const std::uint64_t blocked = blocked_signals(runner);
    CHECK(blocks(blocked, SIGTERM));
    CHECK(blocks(blocked, SIGINT));
    CHECK(blocks(blocked, SIGHUP));
    // The plugin's own metric crossed too (declared through the channel, set through the ring).
    CHECK(mdp::test::eventually(
        [&] {
            return mdp::test::http_get(port, "/metrics")
                       .body.find("mdp_plugin_crashing_trades_published_total{provider=\"crashing\"} " +
                                  std::to_string(kTradesBeforeCrash)) != std::string::npos;
        },
        std::chrono::seconds(30)));
    REQUIRE(host.stop_and_wait(SIGKILL, std::chrono::seconds(30)) == 128 + SIGKILL);
    // Gone, or a zombie waiting for whoever adopted it: either way no longer running.
    CHECK(mdp::test::eventually(
        [&] {
            std::ifstream stat("/proc/" + std::to_string(runner) + "/stat");
            std::string pid_text;
            std::string command;
            std::string state;
            return !(stat >> pid_text >> command >> state) || state == "Z";
        },
        std::chrono::seconds(30)));
}

TEST_CASE("a runner that cannot be started is an error naming the provider's isolation, not its config") {
    TempDir dir;
    const auto config = mdp::test::write_host_config(dir, host_config(dir, crashing_provider("none", "process")));
    const std::string missing = (dir.path() / "no-such-runner").string();
    const auto run = mdp::test::run_to_completion(MDP_HOST_BINARY, {"--check-config", "--config", config.string()},
                                                  std::chrono::seconds(60), {{"MDP_PROVIDER_RUNNER", missing}});
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.output, Catch::Contains(config.string() +
                                           ": providers[1].isolation: cannot start the provider "
                                           "runner " +
                                           missing));
}

TEST_CASE("a plugin that crashes while its file is loaded fails the providers naming it, never the host") {
    // The host reads plugin files in a separate process: the plugin's static constructor
    // segfaults there, for the isolated and the in-process provider alike.
    TempDir dir;
    json config = host_config(
        dir, {{"name", "vendor"}, {"plugin", "mdp_load_crash.so"}, {"isolation", "process"}, {"required", false}});
    config["plugin_path"].push_back(MDP_LOAD_CRASH_PLUGIN_DIR);
    config["providers"].push_back({{"name", "vendor_in_process"},
                                   {"plugin", "mdp_load_crash.so"},
                                   {"isolation", "in_process"},
                                   {"required", false}});
    const auto config_file = mdp::test::write_host_config(dir, config);
    HostRunner host(config_file, dir.path() / "host.log");
    const unsigned short port = host.wait_for_http_port();
    host.wait_until_healthy(port);

    // AddressSanitizer reports the segmentation fault itself and exits 1 (see above).
    const std::string crashed =
        kAddressSanitizer ? "mdp_load_crash.so: failed while loading in a separate process: exited with code 1"
                          : "mdp_load_crash.so: crashed while loading in a separate process: killed by signal SIGSEGV";
    const json status = mdp::test::status_document(port);
    for (const std::string name : {"vendor", "vendor_in_process"}) {
        INFO("provider " << name);
        const json& provider = mdp::test::provider_in_status(status, name);
        CHECK(provider["state"] == "failed");
        CHECK_THAT(provider["last_error"].get<std::string>(), Catch::Contains(crashed));
    }
    const std::uint64_t healthy_before = published_total(port, "healthy");
    CHECK(mdp::test::eventually([&] { return published_total(port, "healthy") > healthy_before; },
                                std::chrono::seconds(30)));
    CHECK(mdp::test::http_get(port, "/health").status == 200);
    REQUIRE(host.stop_and_wait(SIGTERM, std::chrono::seconds(30)) == 0);

    // Listing the plugins reads the file the same way: an entry with the reason, not a crash.
    const auto listed = mdp::test::run_to_completion(
        MDP_HOST_BINARY, {"--list-plugins", "--plugin-path", MDP_LOAD_CRASH_PLUGIN_DIR}, std::chrono::seconds(60));
    CHECK(listed.exit_code != 128 + SIGSEGV);
    CHECK_THAT(listed.output, Catch::Contains(crashed));
}
