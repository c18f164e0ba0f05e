// The provider control API against the real mdp-host: restart/stop/start change what the
// status API reports, a missing or wrong token is refused, every action is logged, and
// without an admin token the endpoints do not exist.

#include "synthetic_host.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

using mdp::test::HttpClient;
using mdp::test::SyntheticHost;
using namespace std::chrono_literals;

namespace {

constexpr const char* kToken = "hardening-admin-token-0123456789";

mdp::test::HttpResponse post_action(const SyntheticHost& host, const std::string& path, const std::string& token) {
    HttpClient client(host.port(), "127.0.0.1", 60s);
    client.set_keep_alive(false);
    mdp::test::HttpHeaders headers;
    if (!token.empty()) {
        headers["Authorization"] = "Bearer " + token;
    }
    return client.post(path, "", "application/json", headers);
}

mdp::test::SyntheticHostOptions with_token() {
    mdp::test::SyntheticHostOptions options;
    options.admin_token = kToken;
    return options;
}

bool provider_state_is(const SyntheticHost& host, const std::string& state) {
    return mdp::test::eventually([&] { return host.provider("synthetic").at("state") == state; }, 30s);
}

}  // namespace

TEST_CASE("restart, stop and start a running provider over HTTP, each logged", "[hardening][control]") {
    SyntheticHost host(with_token());
    REQUIRE(provider_state_is(host, "running"));
    const auto restarts_before = host.provider("synthetic").at("restarts").get<std::uint64_t>();

    const auto restarted = post_action(host, "/api/v1/providers/synthetic/restart", kToken);
    CHECK(restarted.status == 200);
    CHECK(mdp::test::eventually(
        [&] { return host.provider("synthetic").at("restarts").get<std::uint64_t>() == restarts_before + 1; }, 30s));
    CHECK(provider_state_is(host, "running"));

    CHECK(post_action(host, "/api/v1/providers/synthetic/stop", kToken).status == 200);
    CHECK(provider_state_is(host, "stopped"));
    // Stopping what is stopped is a conflict, not a crash.
    CHECK(post_action(host, "/api/v1/providers/synthetic/stop", kToken).status == 409);

    CHECK(post_action(host, "/api/v1/providers/synthetic/start", kToken).status == 200);
    CHECK(provider_state_is(host, "running"));

    CHECK(post_action(host, "/api/v1/providers/nobody/restart", kToken).status == 404);

    const std::string output = host.output();
    CHECK(output.find("control: restart of provider synthetic requested by 127.0.0.1") != std::string::npos);
    CHECK(output.find("control: stop of provider synthetic requested by 127.0.0.1") != std::string::npos);
    CHECK(output.find("control: start of provider synthetic requested by 127.0.0.1") != std::string::npos);
    CHECK(output.find("control: restart of provider nobody") != std::string::npos);

    REQUIRE(host.stop() == 0);
}

TEST_CASE("a missing admin token is 401 and a wrong one 403: both logged, neither changes anything",
          "[hardening][control]") {
    SyntheticHost host(with_token());
    REQUIRE(provider_state_is(host, "running"));

    const auto missing = post_action(host, "/api/v1/providers/synthetic/stop", "");
    CHECK(missing.status == 401);
    CHECK(missing.header("WWW-Authenticate").find("Bearer") != std::string::npos);
    CHECK(post_action(host, "/api/v1/providers/synthetic/stop", "wrong-token").status == 403);
    // A prefix of the right token is just as wrong.
    CHECK(post_action(host, "/api/v1/providers/synthetic/stop", std::string(kToken).substr(0, 10)).status == 403);

    CHECK(host.provider("synthetic").at("state") == "running");
    const std::string output = host.output();
    CHECK(output.find("refused provider control /api/v1/providers/synthetic/stop from 127.0.0.1") != std::string::npos);
    CHECK(output.find(": no bearer token") != std::string::npos);
    CHECK(output.find(": wrong bearer token") != std::string::npos);
    REQUIRE(host.stop() == 0);
}

TEST_CASE("without an admin token the control endpoints do not exist", "[hardening][control]") {
    SyntheticHost host(mdp::test::SyntheticHostOptions{});
    REQUIRE(provider_state_is(host, "running"));
    CHECK(post_action(host, "/api/v1/providers/synthetic/restart", "").status == 404);
    CHECK(post_action(host, "/api/v1/providers/synthetic/stop", "anything").status == 404);
    CHECK(host.provider("synthetic").at("state") == "running");
    CHECK(host.provider("synthetic").at("restarts") == 0);
    REQUIRE(host.stop() == 0);
}
