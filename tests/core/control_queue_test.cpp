// The control API's queue with the real mdp-host: provider actions run one at a time on the
// control thread, up to 4 more wait in its queue, and further ones are refused at once with
// 429 and Retry-After: 5 (docs/http-api.md). The first action is a stop() that hangs (the
// "flaky" test plugin) until its stop_timeout_ms, which keeps the control thread busy meanwhile.

#include "synthetic_host.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using nlohmann::json;

namespace {

constexpr const char* kToken = "control-queue-admin-token-0123456789";

}  // namespace

TEST_CASE("provider actions beyond the 4 waiting are refused with 429 and Retry-After", "[control][http]") {
    mdp::test::SyntheticHostOptions options;
    options.admin_token = kToken;
    options.config_patch = {{"plugin_path", {MDP_PLUGIN_DIR, MDP_CORE_TEST_PLUGIN_DIR}},
                            {"providers",
                             {{{"name", "stuck"},
                               {"plugin", "flaky"},
                               {"config", {{"mode", "hang_in_stop"}, {"fail_after_ms", 600000}}},
                               {"restart", {{"policy", "never"}, {"stop_timeout_ms", 3000}}}}}}};
    mdp::test::SyntheticHost host(options);
    REQUIRE(mdp::test::eventually([&] { return host.provider("stuck")["state"] == "running"; }, 30s));

    // The first stop occupies the control thread for 3 s; the next 7 arrive meanwhile.
    constexpr int kRequests = 8;
    std::mutex mutex;
    std::vector<mdp::test::HttpResponse> replies;
    std::vector<std::thread> clients;
    const auto post_stop = [&] {
        mdp::test::HttpClient client(host.port(), "127.0.0.1", 60s);
        client.set_keep_alive(false);
        auto reply = client.post("/api/v1/providers/stuck/stop", "", "application/json",
                                 {{"Authorization", std::string("Bearer ") + kToken}});
        const std::lock_guard lock(mutex);
        replies.push_back(std::move(reply));
    };
    clients.emplace_back(post_stop);
    // The first is being applied (its stop() hangs) before the others are sent.
    REQUIRE(mdp::test::eventually([&] { return host.provider("stuck")["state"] == "stopping"; }, 30s));
    for (int index = 1; index < kRequests; ++index) {
        clients.emplace_back(post_stop);
    }
    for (auto& client : clients) {
        client.join();
    }
    int refused = 0;
    for (const auto& reply : replies) {
        INFO(reply.status << " " << reply.body);
        if (reply.status == 429) {
            ++refused;
            CHECK(reply.header("Retry-After") == "5");
        }
    }
    CHECK(refused == kRequests - 1 - 4);  // one running, four waiting
    host.stop();
}
